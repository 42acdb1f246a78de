import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoPlanStore } from '../../lambdas/adapters/dynamodb/plan-store.js';
import { DynamoRoomStore } from '../../lambdas/adapters/dynamodb/room-store.js';
import { computeChannelCutoffs } from '../../lambdas/domain/limits/compute-cutoffs.js';
import type { LimitJob, LimitJobQueue } from '../../lambdas/domain/limits/job.js';
import { LOCAL_CREDENTIALS } from '../../local/appsync/auth.js';
import { LOCAL_REGION } from '../../local/composition.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium } from '../helpers/browser.js';
import { accessibilityViolations, openConsole, saveScreenshot } from '../helpers/console.js';
import { localAdmin, postAsViewer } from '../helpers/local-admin.js';

/**
 * The console's Plans screen in real Chromium against the local stack. The stack is given a job
 * queue whose worker runs the real computation (computeChannelCutoffs) on the stack's DynamoDB
 * Local as each job is sent, standing in for the local queue and worker until those are wired
 * into the stack; every job the console's actions queued is kept for the assertions.
 */
let stack: LocalStack;
let browser: Browser;
const pages: Page[] = [];
const sent: LimitJob[] = [];
let work: (job: LimitJob) => Promise<unknown> = async () => undefined;
/** Sends to refuse, as SQS refusing a batch would. */
let refuse = 0;
const worker: LimitJobQueue = {
  async send(jobs) {
    if (refuse > 0) {
      refuse--;
      throw new Error('the queue refused the jobs');
    }
    sent.push(...jobs);
    // As a queue does: the sender goes on; the worker takes the job a moment later.
    for (const job of jobs) setTimeout(() => void work(job).catch(() => undefined), 200);
  },
};

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({ seed: false, limitJobs: worker }),
    launchChromium(),
  ]);
  const db = createDynamoClient({
    region: LOCAL_REGION,
    endpoint: stack.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const deps = {
    plans: new DynamoPlanStore(db, stack.tables.control),
    rooms: new DynamoRoomStore(db, stack.tables.control),
    comments: new DynamoCommentStore(db, stack.tables.comments, stack.tables.control),
    clock: Date.now,
  };
  work = (job) => computeChannelCutoffs(deps, job);
});
afterAll(async () => {
  await Promise.all(pages.map((p) => p.context().close()));
  await browser?.close();
  await stack?.stop();
});

async function open(
  ...args: Parameters<typeof openConsole> extends [unknown, unknown, ...infer R] ? R : never
) {
  const opened = await openConsole(browser, stack, ...args);
  pages.push(opened.page);
  return opened;
}

/**
 * A channel with three rooms (Japanese titles) and three comments: two in the first, one in the
 * second, none in the third.
 */
async function aChannelWithComments() {
  const channelId = `plans-${randomUUID().slice(0, 8)}`;
  const admin = localAdmin(stack);
  const rooms = [
    { roomId: `${channelId}-night`, title: '夏の夜ライブ 2026' },
    { roomId: `${channelId}-talk`, title: 'トークセッション #12' },
    { roomId: `${channelId}-rehearsal`, title: 'リハーサル（関係者のみ）' },
  ];
  for (const room of rooms) {
    await admin('POST', '/rooms', { ...room, channelId, settings: { pollIntervalSeconds: 1 } });
  }
  const viewer = { userId: 'viewer-1', displayName: 'ひかり' };
  await postAsViewer(stack, rooms[0]!.roomId, viewer, 'こんばんは');
  const kept = await postAsViewer(stack, rooms[0]!.roomId, viewer, '最高！');
  const newest = await postAsViewer(stack, rooms[1]!.roomId, viewer, '8888');
  return { channelId, rooms, kept, newest };
}

const jobsOf = (channelId: string) => sent.filter((job) => job.channelId === channelId);

describe('console: plans', () => {
  it('sets a plan, shows the computed cutoffs and the audit entry, and recomputes now', async () => {
    // Prepare
    const { channelId, rooms, kept, newest } = await aChannelWithComments();
    const { page, errors } = await open(['operator'], [], { path: `/plans/${channelId}` });
    await page.getByText("No plan: every comment in this channel's archives is shown.").waitFor();

    // Act: set N = 2 within 30 days
    await page.getByLabel('N: comments shown').fill('2');
    await page.getByLabel('D: days').fill('30');
    await page.getByRole('button', { name: 'Set plan' }).click();

    // Assess: saved at version 1, one job queued, and the worker's outcome shown
    await expect
      .poll(() => page.getByTestId('plan-summary').textContent())
      .toMatch(/Newest 2 comments within 30 days — version 1/);
    await page.getByText(/Computed at .* comments read, 3 of 3 rooms got a new cutoff/).waitFor();
    expect(jobsOf(channelId).map((job) => job.reason)).toEqual(['plan-changed']);
    const night = page.locator(`tr[data-room="${rooms[0]!.roomId}"]`);
    const talk = page.locator(`tr[data-room="${rooms[1]!.roomId}"]`);
    await expect.poll(() => night.textContent()).toContain('夏の夜ライブ 2026');
    expect(await night.textContent()).toContain(kept.id);
    expect(await talk.textContent()).toContain(newest.id);
    expect(await talk.locator('td.numeric').textContent()).toBe('1');
    const rehearsal = page.locator(`tr[data-room="${rooms[2]!.roomId}"]`);
    expect(await rehearsal.textContent()).toContain('Everything hidden');
    expect(await page.getByTestId('last-run').textContent()).toContain('2 within 30 days');
    await page.evaluate(() => document.querySelector('.plan')?.scrollIntoView());
    await saveScreenshot(page, 'console-plans');

    // Act: recompute now
    await page.getByRole('button', { name: 'Recompute now' }).click();

    // Assess: progress, then the outcome of the run-now job
    await page.getByText(/Recomputing the cutoffs/).waitFor();
    await page.getByText(/Computed at .* of 3 rooms got a new cutoff/).waitFor();
    expect(await page.getByTestId('last-run').textContent()).toContain('Recompute now');
    expect(jobsOf(channelId).map((job) => job.reason)).toEqual(['plan-changed', 'run-now']);

    // Assess: the channel's audit log lists the change and the run
    await page.goto(`${stack.edgeUrl}/console/#/audit`);
    await page.locator('#audit-channel').fill(channelId);
    await page.getByRole('button', { name: 'Show channel' }).click();
    const actions = page.locator('.audit-table tbody tr');
    await expect
      .poll(() => actions.allTextContents())
      .toEqual([expect.stringContaining('plans.run'), expect.stringContaining('plans.change')]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows the current values on a stale save, and removes a plan after a confirmation', async () => {
    // Prepare: a plan at version 1, open in the console; then someone else saves version 2
    const { channelId } = await aChannelWithComments();
    const admin = localAdmin(stack);
    await admin('PUT', `/channels/${channelId}/plan`, { maxComments: 100, days: 7 });
    const { page, errors } = await open(['operator'], [], { path: `/plans/${channelId}` });
    await page.getByTestId('plan-summary').waitFor();
    await admin('PUT', `/channels/${channelId}/plan`, { maxComments: 5000, days: 40, expectedVersion: 1 });

    // Act
    await page.getByLabel('N: comments shown').fill('300');
    await page.getByRole('button', { name: 'Save plan' }).click();

    // Assess: their values shown, ours kept in the form, nothing saved
    await page.getByText(/It is now 5,000 comments within 40 days \(version 2/).waitFor();
    expect(await page.getByLabel('N: comments shown').inputValue()).toBe('300');
    await saveScreenshot(page, 'console-plans-stale');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Act: keep ours over theirs, then save at version 2
    await page.getByRole('button', { name: 'Keep my values over theirs' }).click();
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Saved version 3.', { exact: false }).waitFor();

    // Act: remove, confirmed
    await page.getByRole('button', { name: 'Remove plan…' }).click();
    await page.getByRole('button', { name: 'Remove the plan', exact: true }).click();

    // Assess
    await page.getByText("No plan: every comment in this channel's archives is shown.").waitFor();
    expect(await admin('GET', `/channels/${channelId}/plan`)).toMatchObject({ plan: null });
    expect(jobsOf(channelId).at(-1)).toMatchObject({ reason: 'plan-changed' });
    expect(errors).toEqual([]);
  });

  it('explains a run that could not be queued, and runs it when tried again', async () => {
    // Prepare
    const { channelId } = await aChannelWithComments();
    await localAdmin(stack)('PUT', `/channels/${channelId}/plan`, { maxComments: 10, days: 3 });
    const { page, errors } = await open(['operator'], [], { path: `/plans/${channelId}` });
    await page.getByTestId('last-run').waitFor();
    refuse = 1;

    // Act
    await page.getByRole('button', { name: 'Recompute now' }).click();

    // Assess: in words, with the code small and a way to try again
    await page.getByText('The service is busy or failing right now.').waitFor();
    expect(await page.locator('.notice-code').textContent()).toBe('unavailable');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByTestId('last-run').textContent()).toContain('Recompute now');
    expect(jobsOf(channelId).map((job) => job.reason)).toEqual(['plan-changed', 'run-now']);
    expect(errors).toEqual([]);
  });

  it("lets the channel's moderator read the plan, with no way to change or run it", async () => {
    const { channelId } = await aChannelWithComments();
    await localAdmin(stack)('PUT', `/channels/${channelId}/plan`, { maxComments: 10, days: 3 });

    const { page, errors } = await open(['moderator'], [channelId], { path: '/plans' });

    await expect
      .poll(() => page.getByTestId('plan-summary').textContent())
      .toMatch(/Newest 10 comments within 3 days/);
    expect(await page.getByRole('button', { name: 'Recompute now' }).count()).toBe(0);
    expect(await page.getByLabel('N: comments shown').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Plans' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
