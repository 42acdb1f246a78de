import { describe, expect, it } from 'vitest';
import { adminRoutes, routeKey } from '../../../lambdas/routes.js';
import { callAdmin, nobody, operator } from '../../helpers/admin.js';

describe('the admin dispatcher', () => {
  it('has an operation for every admin route in the route table', async () => {
    const { missingOperations } = await import('../../../lambdas/handlers/admin.js');
    expect(missingOperations).toEqual([]);
    const { adminOperations } = await import('../../../lambdas/handlers/admin/operations.js');
    expect(Object.keys(adminOperations).sort()).toEqual(adminRoutes.map(routeKey).sort());
  });

  it('answers a caller with no claims subject 403, in the error shape, without running anything', async () => {
    const { handler } = await import('../../../lambdas/handlers/admin.js');
    const res = await handler({
      httpMethod: 'GET',
      resource: '/admin/v1/me',
      path: '/admin/v1/me',
      headers: {},
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
