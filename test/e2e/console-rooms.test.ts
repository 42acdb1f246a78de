import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../lambdas/domain/rooms/room.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium } from '../helpers/browser.js';
import { accessibilityViolations, openConsole, type ConsolePage } from '../helpers/console.js';
import { localAdmin } from '../helpers/local-admin.js';

/**
 * The console's rooms screens in real Chromium against the local stack: the list, the create
 * form, the settings editor with its stale-save handling, and what each role may see and do.
 */
let stack: LocalStack;
let browser: Browser;
const opened: ConsolePage[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack({ seed: false }), launchChromium()]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.page.context().close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(
  ...args: Parameters<typeof openConsole> extends [Browser, LocalStack, ...infer R] ? R : never
) {
  const console = await openConsole(browser, stack, ...args);
  opened.push(console);
  return console;
}

let made = 0;
const unique = (prefix: string) => `${prefix}-${++made}-${Math.random().toString(36).slice(2, 7)}`;

/** A room made through the admin API (not what these tests are about). */
async function roomIn(channelId: string, title: string, extra: Record<string, unknown> = {}) {
  const roomId = unique('r');
  const { room } = await localAdmin(stack)<{ room: Room }>('POST', '/rooms', {
    roomId,
    channelId,
    title,
    ...extra,
  });
  return room;
}

const readRoom = async (roomId: string) =>
  (await localAdmin(stack)<{ room: Room }>('GET', `/rooms/${roomId}`)).room;

/** A control by its label; an edited field's label gains "· edited", so not exact. */
const field = (page: Page, label: string) => page.getByLabel(label);
const iso = (local: string) => new Date(local).toISOString();

describe('console rooms', () => {
  it('lets an operator create a room through the form, refusing a bad field first, and opens it', async () => {
    // Prepare
    const { page, errors } = await signIn(['operator'], [], { path: '/rooms' });
    const roomId = unique('created');
    await page.getByRole('link', { name: 'Create room' }).click();
    await field(page, 'Channel').fill('ch-create');
    await field(page, 'Room id (optional)').fill(roomId);
    await field(page, 'Starts').fill('2026-12-24T19:00');
    await field(page, 'Ends').fill('2026-12-24T18:00');
    await field(page, 'Expected viewers').fill('100000');
    await field(page, 'Slow mode (seconds)').fill('5');
    await field(page, 'NG words').fill('spam\n荒らし');
    await page.getByRole('checkbox', { name: /Sunset/ }).uncheck();

    // Act: no title and the end before the start, then corrected
    await page.getByRole('button', { name: 'Create room' }).click();
    await expect
      .poll(() => page.locator('.field-error').allTextContents())
      .toEqual(['A title must not be empty.', 'The end must be after the start.']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('new-title');
    await field(page, 'Title').fill('クリスマスライブ 2026');
    await field(page, 'Ends').fill('2026-12-24T21:30');
    await page.getByRole('button', { name: 'Create room' }).click();

    // Assess
    await page.waitForURL(`**/console/#/rooms/${roomId}`);
    await page.getByRole('heading', { level: 1, name: 'クリスマスライブ 2026' }).waitFor();
    expect(await field(page, 'Slow mode (seconds)').inputValue()).toBe('5');
    const room = await readRoom(roomId);
    expect(room).toMatchObject({
      channelId: 'ch-create',
      title: 'クリスマスライブ 2026',
      status: 'open',
      expectedViewers: 100000,
      schedule: { startsAt: iso('2026-12-24T19:00'), endsAt: iso('2026-12-24T21:30') },
      settings: { slowModeSeconds: 5, ngWords: ['spam', '荒らし'] },
    });
    expect(room.settings.commentStyles).not.toContain('sunset');
    expect(errors).toEqual([]);
  });

  it('lists rooms by channel a page at a time, with status badges', async () => {
    // Prepare: 27 rooms in one channel (a page is 25), one closed, one read-only
    const channel = unique('paged');
    const rooms: Room[] = [];
    for (let i = 0; i < 27; i++) rooms.push(await roomIn(channel, `ページ ${i + 1}`));
    await roomIn(unique('elsewhere'), 'Another channel');
    await localAdmin(stack)('POST', `/rooms/${rooms[26]!.roomId}/close`, { version: 1 });
    await localAdmin(stack)('PATCH', `/rooms/${rooms[25]!.roomId}`, {
      version: 1,
      settings: { postingAllowed: 'nobody' },
    });
    const { page, errors } = await signIn(['operator'], [], { path: '/rooms' });
    const rows = page.locator('table.rooms-table tbody tr');

    // Act
    await page.getByRole('combobox', { name: 'Channel', exact: true }).fill(channel);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    // The channel's first page, not the unfiltered list it replaces (which may hold 25 rows too).
    const ours = new Set(rooms.map((r) => r.roomId));
    const shown = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-room')));
    await expect.poll(async () => (await shown()).filter((id) => ours.has(id!)).length).toBe(25);
    await page.getByRole('button', { name: 'Show more rooms' }).click();

    // Assess
    await expect.poll(() => rows.count()).toBe(27);
    expect(await page.getByRole('button', { name: 'Show more rooms' }).count()).toBe(0);
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-room')));
    expect(new Set(ids)).toEqual(new Set(rooms.map((r) => r.roomId)));
    expect(await page.locator(`tr[data-room="${rooms[26]!.roomId}"] .badge`).allTextContents()).toEqual([
      'Closed',
    ]);
    expect(await page.locator(`tr[data-room="${rooms[25]!.roomId}"] .badge`).allTextContents()).toEqual([
      'Open',
      'Read-only',
    ]);
    expect(errors).toEqual([]);
  });

  it('closes a room after confirming, and a retry after a lost answer is no error', async () => {
    // Prepare
    const channel = unique('closing');
    const room = await roomIn(channel, '閉じる部屋');
    const { page, errors } = await signIn(['operator'], [], { path: '/rooms' });
    await page.getByRole('combobox', { name: 'Channel', exact: true }).fill(channel);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    // The first close reaches the API, but its answer is lost on the way back.
    let lost = 0;
    await page.route(`**/admin/v1/rooms/${room.roomId}/close`, async (route) => {
      if (lost++ === 0) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    // Act
    await page.getByRole('button', { name: 'Close room 閉じる部屋' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close “閉じる部屋”?' });
    await dialog.getByRole('button', { name: 'Close room' }).click();
    await page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();

    // Assess
    await page.locator(`tr[data-room="${room.roomId}"] .badge-closed`).waitFor();
    expect(lost).toBe(2);
    expect((await readRoom(room.roomId)).status).toBe('closed');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('saves a moderator’s settings, and viewers’ public room document follows', async () => {
    // Prepare
    const room = await roomIn('ch-mod', '配信 Moderated', { settings: { pollIntervalSeconds: 1 } });
    const { page, errors } = await signIn(['moderator'], ['ch-mod'], {
      path: `/rooms/${room.roomId}/settings`,
    });
    await field(page, 'Slow mode (seconds)').waitFor();
    expect(await field(page, 'Title').isDisabled()).toBe(true);

    // Act
    await field(page, 'Slow mode (seconds)').fill('7');
    await page.getByRole('radio', { name: 'Nobody (read-only)' }).check();
    await page.getByRole('checkbox', { name: /Gold/ }).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();

    // Assess
    await page.getByRole('status').filter({ hasText: 'Saved (version 2)' }).waitFor();
    await expect
      .poll(
        async () => {
          const res = await fetch(`${stack.edgeUrl}/v1/rooms/${room.roomId}`);
          const { room: shown } = (await res.json()) as { room: Room };
          return shown.settings;
        },
        { timeout: 10_000, interval: 250 },
      )
      .toMatchObject({
        slowModeSeconds: 7,
        postingAllowed: 'nobody',
        commentStyles: ['sakura', 'sky', 'emerald', 'violet', 'sunset'],
      });
    expect((await readRoom(room.roomId)).title).toBe('配信 Moderated');
    expect(errors).toEqual([]);
  });

  it('shows a stale save’s other change beside the user’s, and saves both once reapplied', async () => {
    // Prepare
    const room = await roomIn('ch-stale', '同時編集テスト');
    const { page, errors } = await signIn(['operator'], [], { path: `/rooms/${room.roomId}/settings` });
    await field(page, 'Slow mode (seconds)').fill('3');
    await field(page, 'Poll interval (seconds)').fill('2');
    // Someone else saves meanwhile.
    await localAdmin(stack)('PATCH', `/rooms/${room.roomId}`, {
      version: room.version,
      title: '同時編集テスト（改）',
      settings: { slowModeSeconds: 10 },
    });

    // Act
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone saved this room' });
    await conflict.waitFor();
    const rows = await conflict
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(await field(page, 'Poll interval (seconds)').inputValue()).toBe('2');
    await conflict.getByRole('button', { name: 'Reapply my changes' }).click();
    expect(await field(page, 'Title').inputValue()).toBe('同時編集テスト（改）');
    expect(await field(page, 'Slow mode (seconds)').inputValue()).toBe('3');
    await page.getByRole('button', { name: 'Save changes' }).click();

    // Assess
    expect(rows).toEqual([
      ['Title', '同時編集テスト', '同時編集テスト（改）', 'not edited'],
      ['Slow mode (seconds)', '0', '10', '3'],
    ]);
    await page.getByRole('status').filter({ hasText: 'Saved (version 3)' }).waitFor();
    expect(await readRoom(room.roomId)).toMatchObject({
      version: 3,
      title: '同時編集テスト（改）',
      settings: { slowModeSeconds: 3, pollIntervalSeconds: 2 },
    });
    await page.getByRole('heading', { level: 1, name: '同時編集テスト（改）' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('keeps what was typed when a save fails, explains why, and saves on retry', async () => {
    // Prepare
    const room = await roomIn('ch-fail', '失敗する保存');
    const { page, errors } = await signIn(['operator'], [], { path: `/rooms/${room.roomId}/settings` });
    const patches: string[] = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
    let answer: 'fail' | 'drop' | 'pass' = 'fail';
    await page.route(`**/admin/v1/rooms/${room.roomId}`, (route) => {
      if (route.request().method() !== 'PATCH' || answer === 'pass') return route.continue();
      if (answer === 'drop') return route.abort('internetdisconnected');
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'unavailable', message: 'Service unavailable', retryable: true }),
      });
    });
    await field(page, 'Title').fill('新しいタイトル');
    await field(page, 'NG words').fill('荒らし\nspam');

    // Act: out of range first (refused in the browser), then the API failing twice
    await field(page, 'Slow mode (seconds)').fill('9999');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#room-slowModeSeconds-error').waitFor();
    const outOfRange = await page.locator('#room-slowModeSeconds-error').textContent();
    await field(page, 'Slow mode (seconds)').fill('30');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const busy = page.getByRole('alert').filter({ hasText: 'The service is busy or failing right now.' });
    await busy.waitFor();
    answer = 'drop';
    await busy.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('alert').filter({ hasText: 'The admin API could not be reached.' }).waitFor();
    const kept = [
      await field(page, 'Title').inputValue(),
      await field(page, 'NG words').inputValue(),
      await field(page, 'Slow mode (seconds)').inputValue(),
    ];
    answer = 'pass';
    await page.getByRole('button', { name: 'Try again' }).click();

    // Assess
    expect(outOfRange).toMatch(/3600/);
    expect(kept).toEqual(['新しいタイトル', '荒らし\nspam', '30']);
    await page.getByRole('status').filter({ hasText: 'Saved (version 2)' }).waitFor();
    expect(patches).toHaveLength(3);
    expect(await readRoom(room.roomId)).toMatchObject({
      title: '新しいタイトル',
      settings: { slowModeSeconds: 30, ngWords: ['荒らし', 'spam'] },
    });
    expect(errors).toEqual([]);
  });

  it('shows an artist their channel’s rooms read-only, not another channel’s, and explains a 403 by URL', async () => {
    // Prepare
    const mine = await roomIn('artist-a', 'A のライブ');
    const theirs = await roomIn('artist-b', 'B のライブ');
    const { page, errors } = await signIn(['artist'], ['artist-a'], { path: '/rooms' });

    // Act
    const rows = page.locator('table.rooms-table tbody tr');
    await rows.first().waitFor();
    const listed = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-room')));
    await page.getByRole('link', { name: 'A のライブ' }).click();
    await field(page, 'Slow mode (seconds)').waitFor();
    const readOnly = await field(page, 'Slow mode (seconds)').isDisabled();
    const saveButtons = await page.getByRole('button', { name: 'Save changes' }).count();
    await page.goto(`${stack.edgeUrl}/console/#/rooms/${theirs.roomId}`);

    // Assess
    expect(listed).toContain(mine.roomId);
    expect(listed).not.toContain(theirs.roomId);
    expect(await page.getByRole('link', { name: 'Create room' }).count()).toBe(0);
    expect(readOnly).toBe(true);
    expect(saveButtons).toBe(0);
    const refused = page.getByRole('alert');
    await refused.filter({ hasText: 'not bound to it' }).waitFor();
    expect(await refused.textContent()).toContain('Your role or channels do not allow this.');
    expect(await page.getByText('B のライブ').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'passes an accessibility scan of the list, the create form and the settings editor (%s)',
    async (colorScheme) => {
      // Prepare
      const channel = unique('a11y');
      const room = await roomIn(channel, '夏の夜ライブ 2026', {
        schedule: { startsAt: '2026-08-01T10:00:00.000Z', endsAt: '2026-08-01T12:00:00.000Z' },
        expectedViewers: 100_000,
      });
      const closed = await roomIn(channel, 'Closed rehearsal');
      await localAdmin(stack)('POST', `/rooms/${closed.roomId}/close`, { version: 1 });
      const { page, errors } = await signIn(['operator'], [], { path: '/rooms', colorScheme });
      await page.locator('table.rooms-table').waitFor();

      // Act
      const list = await accessibilityViolations(page);
      await page.getByRole('link', { name: 'Create room' }).click();
      await page.getByRole('button', { name: 'Create room' }).click();
      await page.locator('.field-error').first().waitFor();
      const form = await accessibilityViolations(page);
      await page.goto(`${stack.edgeUrl}/console/#/rooms/${room.roomId}/settings`);
      await field(page, 'Slow mode (seconds)').fill('-1');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.field-error').first().waitFor();
      const editor = await accessibilityViolations(page);

      // Assess
      expect({ list, form, editor }).toEqual({ list: [], form: [], editor: [] });
      expect(errors).toEqual([]);
    },
  );
});
