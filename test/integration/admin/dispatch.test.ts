import { describe, expect, it } from 'vitest';
import { missingOperations } from '../../../lambdas/handlers/admin.js';
import { adminOperations } from '../../../lambdas/handlers/admin/operations.js';
import type { AdminDeps } from '../../../lambdas/handlers/admin/deps.js';
import { ORIGIN_HEADER } from '../../../lambdas/routes.js';
import { adminRoutes, routeKey } from '../../../lambdas/routes.js';
import { callAdmin, nobody, operator } from '../../helpers/admin.js';
import { TEST_ORIGIN_SECRET } from '../../helpers/events.js';
import { testFunctions } from '../../helpers/functions.js';

describe('the admin dispatcher', () => {
  it('has an operation for every admin route in the route table', () => {
    // Building the operations only reads their dependencies: any object stands in.
    const operations = adminOperations(new Proxy({}, { get: () => ({}) }) as AdminDeps);
    expect(missingOperations(operations)).toEqual([]);
    expect(Object.keys(operations).sort()).toEqual(adminRoutes.map(routeKey).sort());
  });

  it('answers a caller with no claims subject 403, in the error shape, without running anything', async () => {
    const res = await testFunctions().handlers.admin({
      httpMethod: 'GET',
      resource: '/admin/v1/me',
      path: '/admin/v1/me',
      headers: { [ORIGIN_HEADER]: TEST_ORIGIN_SECRET },
      requestContext: { authorizer: { claims: { 'cognito:groups': 'operators' } } },
    } as never);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'forbidden', retryable: false });
  });

  it('never lets the CDN keep an admin answer', async () => {
    for (const caller of [operator, nobody]) {
      const res = await callAdmin({ method: 'GET', path: '/admin/v1/me', caller });
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});
