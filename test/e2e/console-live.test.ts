import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../lambdas/domain/access/roles.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium, pageErrors } from '../helpers/browser.js';
import { accessibilityViolations, openConsole } from '../helpers/console.js';
import { localAdmin, newLocalRoom, postAsViewer } from '../helpers/local-admin.js';

/**
 * The console's live view, artist composer and notices page in real Chromium against the local
 * stack, with player pages (`/player/?room=…&user=…`) on the same stack as the viewers.
 */
let stack: LocalStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack({ seed: false }), launchChromium()]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPlayer(roomId: string, user: string) {
  const context = await browser.newContext({ viewport: { width: 420, height: 640 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = pageErrors(page);
  const query = new URLSearchParams({ room: roomId, user, lang: 'en' });
  await page.goto(`${stack.edgeUrl}/player/?${query}`);
  await page.locator('hybrid-live-chat header h2').filter({ hasText: /\S/ }).waitFor();
  await vi.waitFor(
    async () =>
      expect(await page.locator('hybrid-live-chat .status').getAttribute('data-realtime')).toBe('connected'),
    { timeout: 5_000 },
  );
  return { page, errors };
}

async function signIn(roles: Role[], channels: string[], path: string, colorScheme?: 'light' | 'dark') {
  const opened = await openConsole(browser, stack, roles, channels, {
    path,
    ...(colorScheme ? { colorScheme } : {}),
  });
  contexts.push(opened.page.context());
  return opened;
}

const shownTexts = (page: Page) => page.locator('hybrid-live-chat li .text').allTextContents();

const postAs = (roomId: string, userId: string, text: string, style?: string) =>
  postAsViewer(stack, roomId, { userId, ...(style ? { style } : {}) }, text);

/** Until the live view's own realtime connection is up (its first connect waits a random moment). */
async function consoleConnected(page: Page) {
  await page.locator('.live-status[data-realtime="connected"]').waitFor({ timeout: 5_000 });
}

/** A comment's row in the console's live view, once the view shows it. */
async function row(page: Page, commentId: string) {
  const found = page.locator(`li.live-item[data-id="${commentId}"]`);
  await found.waitFor({ timeout: 5_000 });
  return found;
}

describe('console live view', () => {
  it('a moderator deletes a comment that a player shows; the player drops it within 1 s', async () => {
    // A 30 s poll interval: only the push can deliver the deletion within the second.
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 30 });
    const comment = await postAs(roomId, 'troll', 'delete me please');
    const player = await openPlayer(roomId, 'watcher');
    await vi.waitFor(async () => expect(await shownTexts(player.page)).toContain('delete me please'), {
      timeout: 5_000,
    });
    const { page, errors } = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, comment.id);
    await consoleConnected(page);

    const answered = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().endsWith(`/comments/${comment.id}`),
    );
    await item.getByRole('button', { name: 'Delete the comment by Viewer troll' }).click();
    expect((await answered).status()).toBe(200);
    await player.page
      .locator('hybrid-live-chat li', { hasText: 'delete me please' })
      .waitFor({ state: 'detached', timeout: 1_000 });

    await page
      .locator(`li.live-item[data-id="${comment.id}"]`)
      .waitFor({ state: 'detached', timeout: 5_000 });
    await expect
      .poll(() => page.locator('.notice-success').textContent())
      .toContain('Players were told at once.');
    expect([...errors, ...player.errors]).toEqual([]);
  });

  it("a moderator bans a viewer from the live view; that viewer's player shows the ban", async () => {
    const roomId = await newLocalRoom(stack);
    const comment = await postAs(roomId, 'noisy', 'LOUD NOISES');
    const viewer = await openPlayer(roomId, 'noisy');
    const { page, errors } = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, comment.id);

    await item.getByRole('button', { name: 'Moderate Viewer noisy' }).click();
    await item.getByLabel('Ban length').selectOption({ label: '5 minutes' });
    await item.getByLabel('Reason (optional)').fill('shouting');
    await item.getByRole('button', { name: 'Ban in this room' }).click();

    await vi.waitFor(
      async () =>
        expect(await viewer.page.locator('hybrid-live-chat .state').textContent()).toMatch(
          /cannot comment until .+\(\d:\d\d\)/,
        ),
      { timeout: 3_000 },
    );
    expect(await viewer.page.locator('hybrid-live-chat input').isDisabled()).toBe(true);
    await expect
      .poll(() => page.locator('.notice-success').textContent())
      .toMatch(/Banned Viewer noisy \(noisy\) in this room until .+Players were told at once/);
    const entry = page.locator('.ban-entry', { hasText: 'noisy' });
    await expect.poll(() => entry.textContent()).toContain('“shouting”');
    expect(await entry.textContent()).toContain('banned · room');
    // The SDK hides a banned viewer's comments, in the console's stream as in players.
    await page.locator(`li.live-item[data-id="${comment.id}"]`).waitFor({ state: 'detached' });
    expect([...errors, ...viewer.errors]).toEqual([]);
  });

  it("a purge removes all of that user's comments in the player, after a confirmation", async () => {
    const roomId = await newLocalRoom(stack);
    const spam = [];
    for (const text of ['buy now 1', 'buy now 2', 'buy now 3'])
      spam.push(await postAs(roomId, 'spammer', text));
    await postAs(roomId, 'fan', 'great show');
    const player = await openPlayer(roomId, 'watcher');
    await vi.waitFor(async () => expect(await shownTexts(player.page)).toHaveLength(4), { timeout: 5_000 });
    const { page, errors } = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, spam[1]!.id);

    await item.getByRole('button', { name: 'Moderate Viewer spammer' }).click();
    await item.getByRole('button', { name: 'Remove all their comments…' }).click();
    // Nothing is removed until confirmed.
    expect(await shownTexts(player.page)).toHaveLength(4);
    await item.getByRole('button', { name: 'Yes, remove them all' }).click();

    await vi.waitFor(async () => expect(await shownTexts(player.page)).toEqual(['great show']), {
      timeout: 3_000,
    });
    await vi.waitFor(
      async () =>
        expect(await page.locator('li.live-item .live-text').allTextContents()).toEqual(['great show']),
      { timeout: 5_000 },
    );
    expect(await page.locator('.notice-success').textContent()).toContain(
      'Removed every comment by Viewer spammer',
    );
    expect([...errors, ...player.errors]).toEqual([]);
  });

  it('lifting a ban from the panel lets the viewer post again', async () => {
    const roomId = await newLocalRoom(stack);
    const comment = await postAs(roomId, 'repentant', 'sorry not sorry');
    const viewer = await openPlayer(roomId, 'repentant');
    const { page, errors } = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, comment.id);
    // The ladder: the first timeout lasts 60 s.
    await item.getByRole('button', { name: 'Moderate Viewer repentant' }).click();
    await item.getByRole('button', { name: 'Ban in this room' }).click();
    await expect
      .poll(() => page.locator('.notice-success').textContent())
      .toContain('(timeout 1 on the ladder)');
    await vi.waitFor(
      async () => expect(await viewer.page.locator('hybrid-live-chat input').isDisabled()).toBe(true),
      {
        timeout: 3_000,
      },
    );

    await page.getByRole('button', { name: 'Lift the room ban of repentant' }).click();

    await expect
      .poll(() => page.locator('.notice-success').textContent())
      .toContain('Lifted the room ban of repentant');
    await page.locator('.ban-entry', { hasText: 'repentant' }).waitFor({ state: 'detached' });
    await vi.waitFor(
      async () => expect(await viewer.page.locator('hybrid-live-chat input').isDisabled()).toBe(false),
      {
        timeout: 3_000,
      },
    );
    // At once, one send: the post path's cache may hold the ban a second more; a ban refusal checks the table.
    await viewer.page.locator('hybrid-live-chat input').fill('I will behave');
    await viewer.page.locator('hybrid-live-chat button.send').click();
    await vi.waitFor(
      async () =>
        expect(await page.locator('li.live-item .live-text').allTextContents()).toContain('I will behave'),
      { timeout: 10_000 },
    );
    expect(await viewer.page.locator('hybrid-live-chat .error').textContent()).toBe('');
    expect([...errors, ...viewer.errors]).toEqual([]);
  });

  it('explains a refused action in words and keeps the stream', async () => {
    const roomId = await newLocalRoom(stack);
    const comment = await postAs(roomId, 'someone', 'already gone');
    const { page, errors } = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, comment.id);
    await page.route('**/admin/v1/rooms/*/comments/*', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'forbidden',
          message: 'You may not comments.delete on channel default.',
          retryable: false,
        }),
      }),
    );

    await item.getByRole('button', { name: 'Delete the comment by Viewer someone' }).click();

    const failure = page.locator('.activity-failed');
    await expect
      .poll(() => failure.textContent())
      .toContain('Failed: Deleting the comment by Viewer someone (someone)');
    expect(await failure.textContent()).toContain('Your role or channels do not allow this.');
    expect(await item.isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('artist composer', () => {
  it('an artist sends a message that the player shows, after a preview as players draw it', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 30 });
    const comment = await postAs(roomId, 'fan', 'we love you');
    const player = await openPlayer(roomId, 'fan');
    const { page, errors } = await signIn(['artist'], ['default'], `/rooms/${roomId}/live`);
    const item = await row(page, comment.id);
    // Artists block; they do not delete, purge or ban.
    expect(await item.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    await item.getByRole('button', { name: 'Moderate Viewer fan' }).click();
    expect(await item.getByLabel('Ban length').count()).toBe(0);
    expect(await item.getByRole('button', { name: 'Block from channel default' }).count()).toBe(1);

    await page.getByRole('textbox', { name: 'Your message' }).fill('ありがとう！ see you 🎸');
    // Code points, as the server counts them: the guitar is one.
    expect(await page.locator('#artist-text-count').textContent()).toBe('16 / 1000 characters');
    expect(await page.locator('.player-preview li.artist .text').textContent()).toBe(
      'ありがとう！ see you 🎸',
    );
    expect(await page.locator('.player-preview li.artist .badge').textContent()).toBe('アーティスト');
    await page.getByRole('button', { name: 'Send to players' }).click();

    await player.page
      .locator('hybrid-live-chat li.artist', { hasText: 'ありがとう！ see you 🎸' })
      .waitFor({ timeout: 1_000 });
    await expect
      .poll(() => page.locator('.composer .notice-success').textContent())
      .toContain('Players were told at once.');
    expect(await page.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe('');
    expect([...errors, ...player.errors]).toEqual([]);
  });

  it('refuses a message over the broadcast length before sending, and keeps it', async () => {
    const roomId = await newLocalRoom(stack);
    const { page, errors } = await signIn(['artist'], ['default'], `/rooms/${roomId}/live`);
    const long = 'あ'.repeat(1001);

    await page.getByRole('textbox', { name: 'Your message' }).fill(long);

    expect(await page.locator('#artist-text-count').textContent()).toBe('1001 / 1000 characters');
    expect(await page.locator('#artist-text-error').textContent()).toContain('remove 1');
    expect(await page.getByRole('button', { name: 'Send to players' }).isDisabled()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe(long);
    expect(errors).toEqual([]);
  });
});

describe('notices', () => {
  it('a notice to every room reaches two players in different rooms', async () => {
    const [roomA, roomB] = await Promise.all([
      newLocalRoom(stack, { pollIntervalSeconds: 30 }),
      newLocalRoom(stack, { pollIntervalSeconds: 30 }),
    ]);
    const [a, b] = await Promise.all([openPlayer(roomA, 'viewer-a'), openPlayer(roomB, 'viewer-b')]);
    const { page, errors } = await signIn(['operator'], [], '/notices');
    await page.getByRole('link', { name: 'Notices' }).waitFor();

    await page.getByLabel('Level').selectOption('warning');
    await page.getByLabel('Banner shows for').selectOption({ label: '5 minutes' });
    await page.getByLabel('Text').fill('まもなく再開します');
    expect(await page.locator('.player-preview .banner[data-level="warning"] p').textContent()).toBe(
      'お知らせまもなく再開します',
    );
    await page.getByRole('button', { name: 'Send to every room' }).click();

    for (const player of [a, b]) {
      await player.page
        .locator('hybrid-live-chat li.notice', { hasText: 'まもなく再開します' })
        .waitFor({ timeout: 2_000 });
      await player.page.locator('hybrid-live-chat .banner[data-level="warning"]').waitFor();
    }
    await expect
      .poll(() => page.locator('.notice-success').textContent())
      .toContain('Sent to every room. It was pushed');
    expect([...errors, ...a.errors, ...b.errors]).toEqual([]);
  });

  it('is not offered to moderators', async () => {
    const { page, errors } = await signIn(['moderator'], ['default'], '/notices');

    await page.getByText('Your role cannot open this page.').waitFor();
    expect(await page.getByRole('link', { name: 'Notices' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('accessibility (axe-core): no serious or critical violation', () => {
  it.each(['light', 'dark'] as const)(
    'live view of a moderator and an artist, and the notices page, %s',
    async (scheme) => {
      const roomId = await newLocalRoom(stack);
      const comment = await postAs(roomId, 'fan', 'こんばんは！', 'gold');
      await postAs(roomId, 'other', 'Hello');
      await localAdmin(stack)('PUT', `/rooms/${roomId}/bans/other`, { durationSeconds: 600, reason: 'spam' });
      await localAdmin(stack)('PUT', `/channels/default/blocks/blocked-${scheme}`, {});

      const moderator = await signIn(['moderator'], ['default'], `/rooms/${roomId}/live`, scheme);
      const item = await row(moderator.page, comment.id);
      await item.getByRole('button', { name: 'Moderate Viewer fan' }).click();
      await moderator.page.locator('.ban-entry').first().waitFor();
      expect(await accessibilityViolations(moderator.page)).toEqual([]);

      const artist = await signIn(['artist'], ['default'], `/rooms/${roomId}/live`, scheme);
      await row(artist.page, comment.id);
      await artist.page.getByRole('textbox', { name: 'Your message' }).fill('ありがとう！');
      await artist.page.locator('.player-preview li.artist').waitFor();
      expect(await accessibilityViolations(artist.page)).toEqual([]);

      const operator = await signIn(['operator'], [], '/notices', scheme);
      await operator.page.getByLabel('Text').fill('まもなく開演');
      await operator.page.locator('.player-preview .banner').waitFor();
      expect(await accessibilityViolations(operator.page)).toEqual([]);
      expect([...moderator.errors, ...artist.errors, ...operator.errors]).toEqual([]);
    },
  );
});
