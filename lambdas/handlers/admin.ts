import { recordAction } from '../domain/access/audit.js';
import { principalFromClaims } from '../domain/access/roles.js';
import { adminRoutes, routeKey } from '../routes.js';
import type { AdminDeps } from './admin/deps.js';
import { adminOperations } from './admin/operations.js';
import type { AdminOperations, AdminResult } from './admin/operation.js';
import { errorResult, httpHandler, json, type ApiResult, type HttpHandler } from './http.js';

export type { AdminDeps };

/**
 * Every `/admin/v1` route. API Gateway's Cognito authoriser has already
 * checked the token (401 otherwise); this reads its claims, runs the route's
 * operation (which checks the caller's role and channel), and records every
 * change in the audit log.
 */
export function createAdminHandler(deps: AdminDeps): HttpHandler {
  const operations = adminOperations(deps);
  const { logger } = deps;
  return httpHandler(
    async (event) => {
      const key = `${event.httpMethod} ${event.resource}`;
      const operation = operations[key];
      if (!operation) return errorResult(new Error(`no admin operation for ${key}`), false, logger);
      const principal = principalFromClaims(
        event.requestContext.authorizer?.claims as Record<string, unknown>,
      );
      const result = await operation({ principal, event });
      if (result.audit) {
        await recordAction(deps, principal, result.audit);
        logger.info('admin action', {
          action: result.audit.action,
          actor: principal.userId,
          roomId: result.audit.roomId,
        });
      }
      return respond(result);
    },
    { cacheableErrors: false, logger, origin: deps.origin },
  );
}

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

/** Admin routes of the route table with no operation (a unit test keeps this empty). */
export function missingOperations(operations: AdminOperations): string[] {
  return adminRoutes.map(routeKey).filter((key) => !operations[key]);
}
