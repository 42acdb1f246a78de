import type { z } from 'zod';
import { BadRequestError } from '../../domain/errors.js';
import type { AuditNote } from '../../domain/access/audit.js';
import type { Principal } from '../../domain/access/roles.js';
import type { ApiEvent } from '../http.js';

export type { AuditNote };

/**
 * One admin route's logic: parse the request, call one use case, map its result. The dispatcher
 * (`../admin.ts`) authenticates, runs it, audits it.
 */
export type AdminOperation = (request: AdminRequest) => Promise<AdminResult>;

/** Operations by route key (`routeKey` in lambdas/routes.ts): `PATCH /admin/v1/rooms/{roomId}`. */
export type AdminOperations = Readonly<Record<string, AdminOperation>>;

export interface AdminRequest {
  /** Who is calling, from the user pool authoriser's claims. */
  readonly principal: Principal;
  readonly event: ApiEvent;
}

export interface AdminResult {
  readonly status: number;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Extra response headers (`Location`, export notes); `Cache-Control` is always `no-store`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is instead of `body` (JSON lines, snippets). */
  readonly raw?: { readonly contentType: string; readonly text: string; readonly filename?: string };
  /** What changed, for the audit log. Set by every operation that changed something; never on reads. */
  readonly audit?: AuditNote;
}

/** A query-string parameter checked by `schema` (missing = undefined, which the schema may allow). */
export function queryParam<T>(event: ApiEvent, name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(event.queryStringParameters?.[name] ?? undefined);
  if (!parsed.success) {
    throw new BadRequestError(
      `invalid_${name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}`,
      `Invalid ${name}: ${parsed.error.issues[0]?.message}.`,
    );
  }
  return parsed.data;
}
