import { describe, expect, it } from 'vitest';
import {
  banAuditDetails,
  BanBody,
  banRequestOf,
  BlockBody,
} from '../../../../lambdas/domain/moderation/ban-actions.js';
import { MAX_BAN_SECONDS } from '../../../../lambdas/domain/moderation/bans.js';

describe('the ban body', () => {
  it.each([
    ['nothing: a permanent ban', {}, { length: undefined }],
    ['a duration', { durationSeconds: 600 }, { length: 600 }],
    ['the next timeout of the ladder', { timeout: true }, { length: 'timeout' }],
    ['a reason', { reason: 'spam' }, { length: undefined, reason: 'spam' }],
  ])('takes %s', (_, body, request) => {
    expect(banRequestOf(BanBody.parse(body))).toEqual(request);
  });

  it.each([
    ['a duration and a timeout together', { durationSeconds: 60, timeout: true }, 'not both'],
    ['a duration over a year', { durationSeconds: MAX_BAN_SECONDS + 1 }, 'durationSeconds'],
    ['a duration of zero', { durationSeconds: 0 }, 'durationSeconds'],
    ['a fraction of a second', { durationSeconds: 1.5 }, 'durationSeconds'],
    ['timeout: false', { timeout: false }, 'timeout'],
    ['an unknown field', { until: '2030-01-01T00:00:00Z' }, 'until'],
  ])('refuses %s', (_, body, problem) => {
    const parsed = BanBody.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(problem);
  });

  it('takes a block with a reason or without, and nothing else', () => {
    expect(BlockBody.parse({})).toEqual({});
    expect(BlockBody.parse({ reason: 'rude' })).toEqual({ reason: 'rude' });
    expect(BlockBody.safeParse({ durationSeconds: 60 }).success).toBe(false);
  });
});

describe('what the audit log keeps of a ban', () => {
  it('keeps a timeout’s terms: the step, its end, the strikes, the reason', () => {
    expect(
      banAuditDetails(
        { length: 'timeout', reason: 'spam' },
        { until: '2030-01-01T00:10:00.000Z', strikes: 2 },
      ),
    ).toEqual({ timeout: true, until: '2030-01-01T00:10:00.000Z', strikes: 2, reason: 'spam' });
  });

  it('keeps a timed ban’s duration and a permanent ban’s permanence', () => {
    expect(banAuditDetails({ length: 600 }, { until: '2030-01-01T00:10:00.000Z' })).toEqual({
      durationSeconds: 600,
      until: '2030-01-01T00:10:00.000Z',
    });
    expect(banAuditDetails({ length: undefined }, {})).toEqual({ permanent: true });
  });
});
