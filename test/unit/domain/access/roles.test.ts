import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../../lambdas/domain/errors.js';
import {
  authorize,
  can,
  PERMISSIONS,
  principalFromClaims,
  visibleChannels,
  type Principal,
  type Role,
} from '../../../../lambdas/domain/access/roles.js';

const principal = (roles: Role[], channels: string[] = []): Principal => ({
  userId: 'u',
  displayName: 'U',
  roles: new Set(roles),
  channels: new Set(channels),
});

describe('principalFromClaims', () => {
  it('reads groups given as a comma list (REST API authoriser), a bracketed list or an array', () => {
    for (const groups of ['operators,moderators', '[operators moderators]', ['operators', 'moderators']]) {
      const p = principalFromClaims({ sub: 's-1', 'cognito:groups': groups });
      expect([...p.roles].sort()).toEqual(['moderator', 'operator']);
    }
  });

  it('binds channels from custom:channels and names the user by name, e-mail, then username', () => {
    const p = principalFromClaims({
      sub: 's-1',
      'cognito:groups': 'artists',
      'custom:channels': 'ch-a, ch-b',
      email: 'a@example.com',
      'cognito:username': 'aiko',
    });
    expect([...p.channels]).toEqual(['ch-a', 'ch-b']);
    expect(p.displayName).toBe('a@example.com');
    expect(principalFromClaims({ sub: 's-2', 'cognito:username': 'aiko' }).displayName).toBe('aiko');
    expect(principalFromClaims({ sub: 's-3' }).displayName).toBe('s-3');
  });

  it('ignores groups that are not roles and refuses claims without a subject', () => {
    expect([...principalFromClaims({ sub: 's', 'cognito:groups': 'admins,viewers' }).roles]).toEqual([]);
    expect(() => principalFromClaims({ 'cognito:groups': 'operators' })).toThrow(ForbiddenError);
    expect(() => principalFromClaims(null)).toThrow(ForbiddenError);
  });
});

describe('authorize', () => {
  it('lets operators act on every channel', () => {
    expect(can(principal(['operator']), 'room.settings', 'any-channel')).toBe(true);
    expect(visibleChannels(principal(['operator'], ['x']))).toBeUndefined();
  });

  it('lets moderators and artists act only on channels they are bound to', () => {
    const mod = principal(['moderator'], ['ch-a']);
    expect(can(mod, 'bans.room', 'ch-a')).toBe(true);
    expect(can(mod, 'bans.room', 'ch-b')).toBe(false);
    const artist = principal(['artist'], ['ch-a']);
    expect(can(artist, 'artist.message', 'ch-a')).toBe(true);
    expect(can(artist, 'artist.message', 'ch-b')).toBe(false);
    expect([...visibleChannels(mod)!]).toEqual(['ch-a']);
  });

  it('keeps each action to its roles', () => {
    expect(can(principal(['operator']), 'artist.message', 'ch-a')).toBe(false);
    expect(can(principal(['moderator'], ['ch-a']), 'notice.send')).toBe(false);
    expect(can(principal(['artist'], ['ch-a']), 'comments.delete', 'ch-a')).toBe(false);
    expect(can(principal([]), 'room.read', 'ch-a')).toBe(false);
    for (const [action, roles] of Object.entries(PERMISSIONS)) {
      expect(roles.length, action).toBeGreaterThan(0);
    }
  });

  it('says why it refused: a missing role, or a channel the user is not bound to', () => {
    const refusal = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return error as ForbiddenError;
      }
      throw new Error('expected a refusal');
    };
    const wrongChannel = refusal(() => authorize(principal(['moderator'], ['ch-a']), 'bans.room', 'ch-b'));
    expect(wrongChannel.status).toBe(403);
    expect(wrongChannel.message).toMatch(/not bound to it/);
    const wrongRole = refusal(() => authorize(principal(['artist'], ['ch-a']), 'bans.room', 'ch-a'));
    expect(wrongRole.message).toMatch(/needs the role operator or moderator/);
  });
});
