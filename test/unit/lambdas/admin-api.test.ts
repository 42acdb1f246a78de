import { describe, expect, expectTypeOf, it } from 'vitest';
import { ADMIN_REQUEST_BODIES, type AdminApi, type AdminRouteKey } from '../../../lambdas/admin-api.js';
import { operationDocs } from '../../../lambdas/openapi.js';
import { adminRoutes, routeKey } from '../../../lambdas/routes.js';

/**
 * The admin API's contract is one source: every admin route has an entry, the body schemas are the
 * very objects the OpenAPI document describes, and a route takes a body exactly when it has a schema.
 */
describe('the admin API contract', () => {
  it('names a request body schema for exactly the routes whose OpenAPI operation has a body, the same object', () => {
    const documented = Object.entries(operationDocs)
      .filter(([key, doc]) => key.includes('/admin/') && doc.body)
      .map(([key, doc]) => [key, doc.body!.schema] as const);
    expect(Object.keys(ADMIN_REQUEST_BODIES).sort()).toEqual(documented.map(([key]) => key).sort());
    for (const [key, schema] of documented) {
      expect(ADMIN_REQUEST_BODIES[key as keyof typeof ADMIN_REQUEST_BODIES], key).toBe(schema);
    }
  });

  it('types every admin route of the route table, and nothing else', () => {
    // A record over AdminRouteKey must list every key of AdminApi: a missing or extra one is a type error.
    const keys: Record<AdminRouteKey, true> = {
      'GET /admin/v1/me': true,
      'GET /admin/v1/channels/{channelId}/plan': true,
      'PUT /admin/v1/channels/{channelId}/plan': true,
      'DELETE /admin/v1/channels/{channelId}/plan': true,
      'POST /admin/v1/channels/{channelId}/plan/runs': true,
      'GET /admin/v1/rooms': true,
      'POST /admin/v1/rooms': true,
      'GET /admin/v1/rooms/{roomId}': true,
      'PATCH /admin/v1/rooms/{roomId}': true,
      'POST /admin/v1/rooms/{roomId}/close': true,
      'GET /admin/v1/rooms/{roomId}/connection': true,
      'GET /admin/v1/rooms/{roomId}/comments': true,
      'DELETE /admin/v1/rooms/{roomId}/comments/{commentId}': true,
      'POST /admin/v1/rooms/{roomId}/purges': true,
      'GET /admin/v1/rooms/{roomId}/bans': true,
      'PUT /admin/v1/rooms/{roomId}/bans/{userId}': true,
      'DELETE /admin/v1/rooms/{roomId}/bans/{userId}': true,
      'POST /admin/v1/rooms/{roomId}/artist-messages': true,
      'GET /admin/v1/rooms/{roomId}/stats': true,
      'GET /admin/v1/rooms/{roomId}/capacity': true,
      'GET /admin/v1/rooms/{roomId}/audit': true,
      'GET /admin/v1/rooms/{roomId}/audit/export': true,
      'GET /admin/v1/channels/{channelId}/bans': true,
      'PUT /admin/v1/channels/{channelId}/bans/{userId}': true,
      'DELETE /admin/v1/channels/{channelId}/bans/{userId}': true,
      'GET /admin/v1/channels/{channelId}/blocks': true,
      'PUT /admin/v1/channels/{channelId}/blocks/{userId}': true,
      'DELETE /admin/v1/channels/{channelId}/blocks/{userId}': true,
      'GET /admin/v1/audit': true,
      'GET /admin/v1/capacity': true,
      'POST /admin/v1/capacity/runs': true,
      'POST /admin/v1/notices': true,
      'GET /admin/v1/ng-words': true,
      'PUT /admin/v1/ng-words': true,
    };
    expect(Object.keys(keys).sort()).toEqual(adminRoutes.map(routeKey).sort());
  });

  it('types a body exactly where a schema checks one, as the schema accepts it', () => {
    expectTypeOf<AdminApi['PUT /admin/v1/ng-words']['body']>().toEqualTypeOf<{
      words: string[];
      version: number;
    }>();
    expectTypeOf<AdminApi['POST /admin/v1/capacity/runs']['body']>().toEqualTypeOf<{ dryRun?: boolean }>();
    expectTypeOf<AdminApi['GET /admin/v1/me']>().not.toHaveProperty('body');
  });
});
