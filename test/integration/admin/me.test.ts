import { describe, expect, it } from 'vitest';
import { artistOf, callAdmin, moderatorOf, nobody, operator } from '../../helpers/admin.js';

describe('GET /admin/v1/me', () => {
  it('tells the console who is signed in, from the authoriser claims', async () => {
    const res = await callAdmin({ method: 'GET', path: '/admin/v1/me', caller: moderatorOf('ch-b', 'ch-a') });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      userId: 'mod-ch-b-ch-a',
      displayName: 'Mia Moderator',
      roles: ['moderator'],
      channels: ['ch-a', 'ch-b'],
    });
  });

  it.each([
    ['operator', operator, ['operator']],
    ['artist', artistOf('c'), ['artist']],
    ['no group', nobody, []],
  ])('answers every signed-in user (%s) with their roles', async (_, caller, roles) => {
    const res = await callAdmin({ method: 'GET', path: '/admin/v1/me', caller });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(roles);
  });
});
