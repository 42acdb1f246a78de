import { describe, expect, it } from 'vitest';
import { createRoom, type Room } from '../../../lambdas/domain/rooms/room.js';
import {
  conflictRows,
  createRequest,
  defaultCreateDraft,
  draftOf,
  fromLocalInput,
  reapply,
  toLocalInput,
  updateRequest,
} from '../../../web/console/screens/room-form.js';

const iso = (local: string) => new Date(local).toISOString();
const room = (overrides: Partial<Room> = {}): Room => ({
  ...createRoom(
    {
      roomId: 'r1',
      channelId: 'ch-a',
      title: '夏祭りライブ',
      schedule: { startsAt: iso('2026-08-01T19:00'), endsAt: iso('2026-08-01T21:00') },
      expectedViewers: 5000,
      settings: { ngWords: ['spam'] },
    },
    new Date('2026-07-01T00:00:00Z'),
  ),
  version: 4,
  ...overrides,
});
const fmt = (value: string) => value;

describe('room form', () => {
  it('round-trips a time through the datetime-local control in local time', () => {
    // Prepare
    const at = iso('2026-08-01T19:30');
    // Act
    const shown = toLocalInput(at);
    // Assess
    expect(shown).toBe('2026-08-01T19:30');
    expect(fromLocalInput(shown)).toBe(at);
    expect(fromLocalInput('')).toBeUndefined();
  });

  it('sends the version read and only the fields that changed', () => {
    // Prepare
    const base = room();
    const draft = { ...draftOf(base), slowModeSeconds: '5', ngWords: 'spam\n  荒らし  \n\n' };
    // Act
    const checked = updateRequest(base, draft);
    // Assess
    expect(checked).toEqual({
      ok: true,
      body: { version: 4, settings: { slowModeSeconds: 5, ngWords: ['spam', '荒らし'] } },
    });
  });

  it('clears a schedule end emptied in the form and never sends the segment length', () => {
    // Prepare
    const base = room();
    // Act
    const checked = updateRequest(base, { ...draftOf(base), endsAt: '', title: ' 新しいタイトル ' });
    // Assess
    expect(checked.ok && checked.body).toEqual({
      version: 4,
      title: ' 新しいタイトル ',
      schedule: { endsAt: null },
    });
  });

  it('reports nothing to save when only whitespace or line order-neutral blanks changed', () => {
    // Prepare
    const base = room();
    // Act
    const checked = updateRequest(base, { ...draftOf(base), ngWords: '\nspam\n', title: `${base.title} ` });
    // Assess
    expect(checked).toEqual({ ok: false, nothing: true });
  });

  it('puts the schema’s refusals on the fields they concern, and sends nothing', () => {
    // Prepare
    const base = room();
    // Act
    const checked = updateRequest(base, {
      ...draftOf(base),
      slowModeSeconds: '5000',
      maxCommentLength: 'ten',
      ngWords: 'ok\n\u202Ebad',
      startsAt: '2026-08-01T22:00',
    });
    // Assess
    expect(checked.ok).toBe(false);
    const errors = 'errors' in checked ? checked.errors : {};
    expect(Object.keys(errors).sort()).toEqual(['endsAt', 'maxCommentLength', 'ngWords', 'slowModeSeconds']);
    expect(errors.maxCommentLength).toMatch(/whole number/);
    expect(errors.ngWords).toMatch(/^Line 2: .*bidi/);
    expect(errors.endsAt).toBe('The end must be after the start.');
  });

  it('builds a create request with every first setting, and refuses a bad room id by its field', () => {
    // Prepare
    const draft = {
      ...defaultCreateDraft('ch-a'),
      title: 'ライブ',
      startsAt: '2026-08-01T19:00',
      expectedViewers: '100000',
      commentStyles: ['gold' as const],
    };
    // Act
    const good = createRequest(draft);
    const bad = createRequest({ ...draft, roomId: 'no spaces', endsAt: '2026-08-01T18:00' });
    // Assess
    expect(good.ok && good.body).toMatchObject({
      channelId: 'ch-a',
      title: 'ライブ',
      schedule: { startsAt: iso('2026-08-01T19:00') },
      expectedViewers: 100000,
      settings: { segmentSeconds: 10, commentStyles: ['gold'], enabled: true },
    });
    expect(good.ok && 'roomId' in good.body).toBe(false);
    expect('errors' in bad && bad.errors).toEqual({
      roomId: expect.stringMatching(/room id/),
      endsAt: 'The end must be after the start.',
    });
  });

  it('shows a stale save field by field: before, now, and the user’s own value where both changed', () => {
    // Prepare
    const base = room();
    const current = room({
      version: 6,
      title: '夏祭りライブ（改）',
      settings: { ...base.settings, slowModeSeconds: 10, enabled: false },
    });
    const draft = { ...draftOf(base), slowModeSeconds: '3', pollIntervalSeconds: '2' };
    // Act
    const rows = conflictRows(base, current, draft, fmt);
    // Assess
    expect(rows.map((r) => [r.key, r.before, r.now, r.mine])).toEqual([
      ['title', '夏祭りライブ', '夏祭りライブ（改）', undefined],
      ['enabled', 'On', 'Off', undefined],
      ['slowModeSeconds', '0', '10', '3'],
    ]);
  });

  it('reapplies only the user’s changes onto the new version, keeping theirs', () => {
    // Prepare
    const base = room();
    const current = room({
      version: 6,
      title: '夏祭りライブ（改）',
      settings: { ...base.settings, slowModeSeconds: 10 },
    });
    const draft = { ...draftOf(base), pollIntervalSeconds: '2' };
    // Act
    const next = reapply(base, current, draft);
    const checked = updateRequest(current, next);
    // Assess
    expect(next.title).toBe('夏祭りライブ（改）');
    expect(next.slowModeSeconds).toBe('10');
    expect(checked).toEqual({ ok: true, body: { version: 6, settings: { pollIntervalSeconds: 2 } } });
  });
});
