import { newCommentId } from '../domain/feed/ids.js';
import { actorOf } from '../domain/access/audit.js';
import { principalFromClaims } from '../domain/access/roles.js';
import { logger } from '../adapters/logger.js';
import { adminRoutes, routeKey } from '../routes.js';
import { auditLog } from './admin/context.js';
import { adminOperations } from './admin/operations.js';
import type { AdminResult } from './admin/operation.js';
import { errorResult, httpHandler, json, type ApiEvent, type ApiResult } from './http.js';
import { clock } from './deps.js';

/**
 * Every `/admin/v1` route. API Gateway's Cognito authoriser has already
 * checked the token (401 otherwise); this reads its claims, runs the route's
 * operation (which checks the caller's role and channel), and records every
 * change in the audit log.
 */
export const handler = httpHandler(
  async (event: ApiEvent): Promise<ApiResult> => {
    const key = `${event.httpMethod} ${event.resource}`;
    const operation = adminOperations[key];
    if (!operation) return errorResult(new Error(`no admin operation for ${key}`), false);
    const principal = principalFromClaims(event.requestContext.authorizer?.claims as Record<string, unknown>);
    const result = await operation({ principal, event });
    if (result.audit) {
      const id = newCommentId(clock());
      await auditLog.record({
        id,
        at: new Date(clock()).toISOString(),
        actor: actorOf(principal),
        action: result.audit.action,
        ...(result.audit.roomId ? { roomId: result.audit.roomId } : {}),
        ...(result.audit.channelId ? { channelId: result.audit.channelId } : {}),
        ...(result.audit.target ? { target: result.audit.target } : {}),
        ...(result.audit.details ? { details: result.audit.details } : {}),
      });
      logger.info('admin action', {
        action: result.audit.action,
        actor: principal.userId,
        roomId: result.audit.roomId,
      });
    }
    return respond(result);
  },
  { cacheableErrors: false },
);

function respond(result: AdminResult): ApiResult {
  const noStore = { ...result.headers, 'Cache-Control': 'no-store' };
  if (result.raw) {
    return {
      statusCode: result.status,
      headers: {
        ...json(result.status, null).headers,
        ...noStore,
        'Content-Type': result.raw.contentType,
        ...(result.raw.filename
          ? { 'Content-Disposition': `attachment; filename="${result.raw.filename}"` }
          : {}),
      },
      body: result.raw.text,
    };
  }
  if (result.body === undefined) return { ...json(result.status, null, noStore), body: '' };
  return json(result.status, result.body, noStore);
}

/** Routes without an operation are a build error, not a 500 in production (checked by a unit test too). */
export const missingOperations = adminRoutes.map(routeKey).filter((key) => !adminOperations[key]);
