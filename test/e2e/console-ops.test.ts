import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium } from '../helpers/browser.js';
import { accessibilityViolations, openConsole, saveScreenshot } from '../helpers/console.js';
import { localAdmin, postAsViewer } from '../helpers/local-admin.js';

/**
 * The console's operations screens in real Chromium against the local stack: connection info,
 * statistics, capacity and cost with the scaler, the audit log and the global NG words.
 */
let stack: LocalStack;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack({ seed: false }), launchChromium()]);
});
afterAll(async () => {
  await Promise.all(pages.map((p) => p.context().close()));
  await browser?.close();
  await stack?.stop();
});

const HOUR = 3_600_000;
const en = (n: number) => n.toLocaleString('en-US');
const usd = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function open(
  ...args: Parameters<typeof openConsole> extends [unknown, unknown, ...infer R] ? R : never
) {
  const opened = await openConsole(browser, stack, ...args);
  pages.push(opened.page);
  return opened;
}

/** What the admin API plans for a room, and its peak provisioned concurrency over all functions. */
async function plannedCapacity(roomId: string) {
  const { capacity } = await localAdmin(stack)<{
    capacity: {
      peak: { provisionedConcurrency: Record<string, number> };
      cost: {
        hybrid: { name: string; totalUsd: number };
        alternatives: { name: string; totalUsd: number }[];
      };
      schedules: { scaleUp: { name: string } };
    };
  }>('GET', `/rooms/${roomId}/capacity`);
  return { capacity, peak: Object.values(capacity.peak.provisionedConcurrency).reduce((a, b) => a + b, 0) };
}

/** The room as the admin API has it now. */
async function readRoom(roomId: string) {
  const { room } = await localAdmin(stack)<{
    room: { expectedViewers?: number; schedule: { startsAt?: string } };
  }>('GET', `/rooms/${roomId}`);
  return room;
}

async function newRoom(body: Record<string, unknown> = {}) {
  const roomId = `ops-${randomUUID().slice(0, 8)}`;
  await localAdmin(stack)('POST', '/rooms', {
    roomId,
    channelId: 'default',
    title: `ライブ ${roomId}`,
    settings: { pollIntervalSeconds: 1 },
    ...body,
  });
  return roomId;
}

const post = (roomId: string, userId: string, text: string) =>
  postAsViewer(stack, roomId, { userId, displayName: userId }, text);

/**
 * Provisioned concurrency set by hand on the local control plane, as someone might in the AWS
 * console: the capacity drifts from the plan, and the scaler's next run has calls to make.
 */
async function drift(provisioned: number) {
  const res = await fetch(`${stack.edgeUrl}/local/control-plane/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      calls: [
        {
          change: { kind: 'provisioned-concurrency.set', function: 'getSegment', from: 0, to: provisioned },
          api: {
            service: 'lambda',
            operation: 'PutProvisionedConcurrencyConfig',
            input: {
              FunctionName: 'getSegment',
              Qualifier: 'live',
              ProvisionedConcurrentExecutions: provisioned,
            },
          },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
}

/** Waits for the scaler run a room's creation started in the background. */
async function scalerIdle(roomId: string) {
  await expect
    .poll(
      async () => {
        const report = (await (await fetch(`${stack.edgeUrl}/local/capacity`)).json()) as {
          invocations: { request: { roomId?: string } }[];
        };
        return report.invocations.some((i) => i.request.roomId === roomId);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

const go = (page: Page, path: string) => page.evaluate((hash) => (location.hash = hash), path);

describe('console: capacity and cost', () => {
  it('lets an operator create a room, set 100,000 viewers and a schedule, and see the plan, the cost and a dry run', async () => {
    // Prepare: an event two hours from now, as a person types it (local time).
    const local = (ms: number) => {
      const d = new Date(ms);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
    };
    const startsAt = Math.ceil((Date.now() + 2 * HOUR) / 60_000) * 60_000;
    const roomId = `flow-${randomUUID().slice(0, 8)}`;
    const { page, errors } = await open(['operator'], [], { path: '/rooms/new' });

    // Act: create the room, then size it from its settings.
    await page.getByLabel('Channel').fill('default');
    await page.getByLabel('Room id (optional)').fill(roomId);
    await page.getByLabel('Title').fill('年末カウントダウン 2026');
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.waitForURL(`**/console/#/rooms/${roomId}`);
    await page.getByLabel('Expected viewers').fill('100000');
    await page.getByLabel('Starts').fill(local(startsAt));
    await page.getByLabel('Ends').fill(local(startsAt + 2 * HOUR));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await readRoom(roomId)).expectedViewers, { timeout: 10_000 })
      .toBe(100_000);
    await page.getByRole('link', { name: 'Capacity & cost' }).click();

    // Assess: what the API plans for the room is what the tab shows.
    const { capacity, peak } = await plannedCapacity(roomId);
    expect(peak).toBeGreaterThan(0);
    expect((await readRoom(roomId)).schedule.startsAt).toBe(new Date(startsAt).toISOString());
    await expect
      .poll(() => page.locator('[data-figure="peak-concurrency"]').textContent(), { timeout: 10_000 })
      .toBe(en(peak));
    await expect.poll(() => page.getByText(capacity.schedules.scaleUp.name).count()).toBe(1);
    for (const design of [capacity.cost.hybrid, ...capacity.cost.alternatives]) {
      const row = page.locator('tr', { has: page.locator('th', { hasText: design.name }) }).first();
      expect(await row.locator('td.numeric').textContent()).toContain(usd(design.totalUsd));
    }

    // Act: capacity has drifted from the plan; the operator asks for a dry run.
    await drift(9);
    await page.getByRole('button', { name: 'Dry run' }).click();

    // Assess: the calls the scaler would make, and none made.
    const calls = page.locator('.calls > li');
    await expect.poll(() => calls.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.run [role="status"]').textContent()).toContain('None was made.');
    expect(errors).toEqual([]);
  });

  it('shows a 100,000-viewer room’s plan, its cost beside the alternatives, and a dry run’s exact calls', async () => {
    // Prepare: an event two hours from now, sized for 100,000 viewers.
    const startsAt = Date.now() + 2 * HOUR;
    const roomId = await newRoom({
      expectedViewers: 100_000,
      schedule: {
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 2 * HOUR).toISOString(),
      },
    });
    const admin = localAdmin(stack);
    const { capacity, peak } = await plannedCapacity(roomId);
    expect(peak).toBeGreaterThan(0);

    // Act
    const { page, errors } = await open(['operator'], [], { path: `/rooms/${roomId}/capacity` });

    // Assess: the plan's figures, its chart, the schedule, the cost of each design.
    await expect
      .poll(() => page.locator('[data-figure="peak-concurrency"]').textContent(), { timeout: 10_000 })
      .toBe(en(peak));
    expect(await page.locator('.figure', { hasText: 'Expected viewers' }).locator('dd').textContent()).toBe(
      '100,000',
    );
    expect(await page.locator('.chart-canvas canvas').count()).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => page.getByText(capacity.schedules.scaleUp.name, { exact: false }).count())
      .toBe(1);
    for (const design of [capacity.cost.hybrid, ...capacity.cost.alternatives]) {
      const row = page.locator('tr', { has: page.locator('th', { hasText: design.name }) }).first();
      expect(await row.locator('td.numeric').textContent()).toContain(usd(design.totalUsd));
    }
    expect(
      await page
        .getByRole('img', { name: /Estimated cost of the event by design/ })
        .getAttribute('aria-label'),
    ).toContain(usd(capacity.cost.hybrid.totalUsd));

    // Act: capacity drifts from the plan; a dry run from the tab, after one through the API.
    await drift(7);
    const { run } = await admin<{ run: { calls: { api: { operation: string } }[] } }>(
      'POST',
      '/capacity/runs',
      {
        dryRun: true,
      },
    );
    await page.getByRole('button', { name: 'Dry run' }).click();

    // Assess: the same calls, each with its operation.
    const calls = page.locator('.calls > li');
    await expect.poll(() => calls.count(), { timeout: 10_000 }).toBe(run.calls.length);
    expect(run.calls.length).toBeGreaterThan(0);
    expect(await page.locator('.run [role="status"]').textContent()).toContain(
      `would make ${run.calls.length} call${run.calls.length === 1 ? '' : 's'}. None was made.`,
    );
    expect(await calls.locator('strong.mono').allTextContents()).toEqual(
      run.calls.map((c) => c.api.operation),
    );
    // The picture: the plan's chart and the cost beside the alternatives.
    await page.locator('#plan-title ~ .chart').evaluate((chart) => chart.scrollIntoView());
    await saveScreenshot(page, 'console-capacity');
    expect(errors).toEqual([]);
  });

  it('applies the scaler’s calls only after a confirmation, with progress and the outcome', async () => {
    const startsAt = Date.now() + 10 * 60_000;
    const roomId = await newRoom({
      expectedViewers: 50_000,
      schedule: {
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + HOUR).toISOString(),
      },
    });
    // Inside the lead time: creating the event ran the scaler; then someone changes a setting by hand.
    await scalerIdle(roomId);
    await drift(99);
    const { page, errors } = await open(['operator'], [], { path: '/capacity' });
    await page.locator('[data-figure="peak-concurrency"]').waitFor();

    await page.getByRole('button', { name: 'Apply now…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('Change AWS capacity now?');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();

    await expect
      .poll(() => page.locator('.run [role="status"]').textContent(), { timeout: 15_000 })
      .toMatch(/^Applied 1 of 1 call at /);
    expect(await page.locator('.calls strong.mono').allTextContents()).toEqual([
      'PutProvisionedConcurrencyConfig',
    ]);
    // The next dry run finds nothing left to do for the plan in force now.
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect
      .poll(() => page.locator('.run [role="status"]').textContent(), { timeout: 10_000 })
      .toContain('capacity already matches the plan');
    expect(errors).toEqual([]);
  });

  it('shows the capacity tab in the dark scheme with its chart colours from the dark tokens', async () => {
    const startsAt = Date.now() + 3 * HOUR;
    const roomId = await newRoom({
      expectedViewers: 100_000,
      schedule: {
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 2 * HOUR).toISOString(),
      },
    });
    const { page, errors } = await open(['operator'], [], {
      path: `/rooms/${roomId}/capacity`,
      colorScheme: 'dark',
    });
    await page.locator('[data-figure="peak-concurrency"]').waitFor();
    await page.locator('.chart-canvas canvas').first().waitFor();
    const lineColour = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--chart-1').trim(),
    );
    expect(lineColour).toBe('#7fb0ff');
    await saveScreenshot(page, 'console-capacity-dark');
    expect(errors).toEqual([]);
  });
});

describe('console: connection info', () => {
  it('copies the embed snippet to the clipboard', async () => {
    const roomId = await newRoom();
    const info = await localAdmin(stack)<{ snippet: string; apiKey: string }>(
      'GET',
      `/rooms/${roomId}/connection`,
    );
    const { page, errors } = await open(['moderator'], ['default'], { path: `/rooms/${roomId}/connection` });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.edgeUrl });

    await page.getByRole('button', { name: 'Copy Embed snippet' }).click();

    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(info.snippet);
    expect(await page.getByRole('button', { name: 'Copy Embed snippet' }).textContent()).toBe('Copied');
    expect(await page.locator('.code-line', { hasText: info.apiKey }).count()).toBe(1);
    await saveScreenshot(page, 'console-connection');
    expect(errors).toEqual([]);
  });
});

describe('console: statistics', () => {
  it('counts posted comments and their posters, and again after more are posted', async () => {
    const roomId = await newRoom();
    await post(roomId, 'ann', 'こんにちは');
    await post(roomId, 'bob', 'hello');
    await post(roomId, 'ann', 'again');
    const { page, errors } = await open(['artist'], ['default'], { path: `/rooms/${roomId}/stats` });
    const figure = (label: string) =>
      page.locator('.figure', { has: page.locator('dt', { hasText: label }) }).locator('dd');

    await expect.poll(() => figure('Comments').textContent(), { timeout: 10_000 }).toBe('3');
    expect(await figure('Distinct posters').textContent()).toBe('2');
    expect(await page.locator('.updated').textContent()).toMatch(/Updated at/);

    await post(roomId, 'cho', 'three');
    await post(roomId, 'dan', 'four');
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => figure('Comments').textContent(), { timeout: 10_000 }).toBe('5');
    expect(await figure('Distinct posters').textContent()).toBe('4');

    await page.getByRole('radio', { name: '15 min' }).check();
    await expect
      .poll(() => page.getByRole('img', { name: /Comments per minute/ }).getAttribute('aria-label'))
      .toContain('in the last 15 minutes');
    // The local realtime count is deployment-wide: the API calls it an estimate, and so does the tab.
    expect(
      await page
        .locator('.figure', { hasText: 'Realtime connections now' })
        .locator('.badge-estimate')
        .count(),
    ).toBe(1);
    await saveScreenshot(page, 'console-stats');
    expect(errors).toEqual([]);
  });
});

describe('console: audit log', () => {
  it('filters by action, pages with the cursor, and downloads what it loaded', async () => {
    // Prepare: more global entries than one page (25): NG-word saves and notices to every room.
    const admin = localAdmin(stack);
    let { version } = await admin<{ version: number }>('GET', '/ng-words');
    for (let i = 0; i < 24; i++) {
      ({ version } = await admin<{ version: number }>('PUT', '/ng-words', { words: [`spam${i}`], version }));
    }
    for (let i = 0; i < 3; i++) {
      await admin('POST', '/notices', { roomId: '*', level: 'info', text: `お知らせ ${i}` });
    }
    const all: { id: string; action: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin<{ entries: { id: string; action: string }[]; nextCursor?: string }>(
        'GET',
        `/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      all.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThan(25);

    const { page, errors } = await open(['operator'], [], { path: '/audit' });
    const rows = page.locator('.audit-table tbody tr');

    // Assess: the first page, newest first, with details as key/value pairs.
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(25);
    expect(await rows.first().getAttribute('data-entry')).toBe(all[0]!.id);
    expect(await rows.first().locator('.kv dt').allTextContents()).toContain('level');

    // Act: page on, then filter.
    await page.getByRole('button', { name: /Load 25 older entries/ }).click();
    await expect.poll(() => rows.count()).toBe(Math.min(50, all.length));
    await page.getByLabel('Action').selectOption('notice.send');
    const notices = all.slice(0, 50).filter((e) => e.action === 'notice.send');
    await expect.poll(() => rows.count()).toBe(notices.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry')))).toEqual(
      notices.map((e) => e.id),
    );

    // Act: download what is loaded as CSV.
    await page.getByLabel('Action').selectOption('');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download loaded as CSV' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^audit-global-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await file.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,action,actor,actorRoles,channelId,roomId,target,details');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(all.slice(0, 50).map((e) => e.id));
    await page.evaluate(() => scrollTo(0, 0));
    await saveScreenshot(page, 'console-audit');
    expect(errors).toEqual([]);
  });

  it('exports a room’s whole log as the API’s JSON-lines file', async () => {
    const roomId = await newRoom();
    const admin = localAdmin(stack);
    let { room } = await admin<{ room: { version: number } }>('GET', `/rooms/${roomId}`);
    for (const title of ['一', '二', '三']) {
      ({ room } = await admin<{ room: { version: number } }>('PATCH', `/rooms/${roomId}`, {
        version: room.version,
        title,
      }));
    }
    const { page, errors } = await open(['moderator'], ['default'], { path: `/rooms/${roomId}/audit` });
    await expect.poll(() => page.locator('.audit-table tbody tr').count(), { timeout: 10_000 }).toBe(4);

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export the whole log (JSON lines)' }).click(),
    ]);

    expect(file.suggestedFilename()).toBe(`audit-${roomId}-${new Date().toISOString().slice(0, 10)}.jsonl`);
    const exported = (await readFile((await file.path())!, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    const listed = await admin<{ entries: { id: string }[] }>('GET', `/rooms/${roomId}/audit`);
    expect(exported.map((e) => e.id)).toEqual(listed.entries.map((e) => e.id));
    expect(await page.locator('.notice-success').textContent()).toContain('Downloaded 4 entries');
    expect(errors).toEqual([]);
  });

  it('shows a moderator only their channels’ logs', async () => {
    const { page, errors } = await open(['moderator'], ['default', 'other'], { path: '/audit' });
    const options = await page.getByLabel('Log').locator('option').allTextContents();
    expect(options).toEqual(['Channel default', 'Channel other']);
    expect(errors).toEqual([]);
  });
});

describe('console: global NG words', () => {
  it('shows what a save adds and removes, saves at the version read, and explains a stale save keeping the edits', async () => {
    const admin = localAdmin(stack);
    const before = await admin<{ words: string[]; version: number }>('GET', '/ng-words');
    await admin('PUT', '/ng-words', { words: ['荒らし', 'spam'], version: before.version });
    const { page, errors } = await open(['operator'], [], { path: '/ng-words' });
    const box = page.getByLabel('Words, one per line');
    await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe('荒らし\nspam');

    // Act: edit, review, save.
    await box.fill('荒らし\nspam\n詐欺\n\nSPAM');
    expect(await page.locator('#ng-count').textContent()).toContain('3 words');
    expect(await page.locator('.word-added li').allTextContents()).toEqual(['詐欺']);
    await saveScreenshot(page, 'console-ng-words');
    await page.getByRole('button', { name: /^Save \(1 added, 0 removed\)/ }).click();
    await expect.poll(() => page.locator('.notice-success').textContent()).toContain('1 added, 0 removed');
    const saved = await admin<{ words: string[]; version: number }>('GET', '/ng-words');
    expect(saved.words).toEqual(['荒らし', 'spam', '詐欺']);

    // Someone else saves meanwhile; this page still has the version it read.
    await admin('PUT', '/ng-words', { words: [...saved.words, 'scam'], version: saved.version });
    await box.fill('荒らし\n詐欺\nbot');
    await page.getByRole('button', { name: /^Save/ }).click();

    // Assess: explained, edits kept, and redone on top of their list on request.
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Someone saved the list while you were editing.');
    expect(await alert.textContent()).toContain('They added scam');
    expect(await box.inputValue()).toBe('荒らし\n詐欺\nbot');
    await page.getByRole('button', { name: 'Load their list and redo my changes' }).click();
    expect((await box.inputValue()).split('\n')).toEqual(['荒らし', '詐欺', 'scam', 'bot']);
    await page.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(() => page.locator('.notice-success').textContent()).toContain('1 added, 1 removed');
    expect((await admin<{ words: string[] }>('GET', '/ng-words')).words).toEqual([
      '荒らし',
      '詐欺',
      'scam',
      'bot',
    ]);
    expect(errors).toEqual([]);
  });
});

describe('console: roles', () => {
  it('shows an artist neither the capacity nor the audit tab, nor the operators’ pages (Plans only to read)', async () => {
    const roomId = await newRoom();
    const { page, errors } = await open(['artist'], ['default'], { path: `/rooms/${roomId}` });
    const tabs = page.getByRole('navigation', { name: 'Room' }).getByRole('link');
    await expect.poll(() => tabs.allTextContents(), { timeout: 10_000 }).toContain('Statistics');
    const labels = await tabs.allTextContents();
    expect(labels).toContain('Connection');
    expect(labels).not.toContain('Capacity & cost');
    expect(labels).not.toContain('Audit log');
    const nav = await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
    // Plans: read-only for the artist's own channels.
    expect(nav).toEqual(['Rooms', 'Plans']);
    await go(page, '/capacity');
    await page.getByText('Your role cannot open this page.').waitFor();
    expect(errors).toEqual([]);
  });
});

describe('console: accessibility of the operations screens', () => {
  it.each(['light', 'dark'] as const)(
    'has no serious or critical axe finding on any of them, %s scheme',
    async (scheme) => {
      const startsAt = Date.now() + 2 * HOUR;
      const roomId = await newRoom({
        expectedViewers: 100_000,
        schedule: {
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + HOUR).toISOString(),
        },
      });
      await post(roomId, 'ann', 'こんにちは');
      const { page, errors } = await open(['operator'], [], {
        path: `/rooms/${roomId}/connection`,
        colorScheme: scheme,
      });
      const screens: [string, () => Promise<unknown>][] = [
        [`/rooms/${roomId}/connection`, () => page.locator('.code-block').first().waitFor()],
        [`/rooms/${roomId}/stats`, () => page.locator('.chart-canvas canvas').first().waitFor()],
        [
          `/rooms/${roomId}/capacity`,
          async () => {
            await page.locator('[data-figure="peak-concurrency"]').waitFor();
            await page.getByRole('button', { name: 'Dry run' }).click();
            await page.locator('.run').waitFor();
            await page
              .locator('details')
              .evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
          },
        ],
        [`/rooms/${roomId}/audit`, () => page.locator('.audit-table').waitFor()],
        ['/capacity', () => page.locator('[data-figure="peak-concurrency"]').waitFor()],
        ['/audit', () => page.locator('.audit-table, .empty').first().waitFor()],
        ['/ng-words', () => page.getByLabel('Words, one per line').waitFor()],
      ];
      const findings: string[] = [];
      for (const [path, ready] of screens) {
        await go(page, path);
        await ready();
        findings.push(...(await accessibilityViolations(page)).map((f) => `${path}: ${f}`));
      }
      expect(findings).toEqual([]);
      expect(errors).toEqual([]);
    },
  );
});
