import { describe, expect, it } from 'vitest';
import { CANARY_CHANNEL_ID, runCanary, type CanaryDeps } from '../../../../lambdas/domain/canary/canary.js';
import type { EdgeViewer, RoomSubscriber } from '../../../../lambdas/domain/canary/ports.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import { aRoom, InMemoryRooms } from '../../fakes.js';

/**
 * The run's logic over the ports (the adapters run against the real local endpoints in
 * test/e2e/canary.test.ts). The stand-ins here deliver, lose or refuse as each test says.
 */
const FAST = {
  subscribeMs: 200,
  pushMs: 200,
  postMs: 200,
  pollIntervals: 0,
  pollSlackMs: 200,
  pollMaxMs: 1_000,
};

/** A realtime path that delivers what is published to the subscribed handler (or loses it). */
function loopback(options: { deliver?: boolean; subscribeFails?: boolean } = {}) {
  let handler: ((event: RoomEvent) => void) | undefined;
  const closed: string[] = [];
  const published: RoomEvent[] = [];
  const subscriber: RoomSubscriber = {
    async subscribe(roomId, onEvent, signal) {
      if (options.subscribeFails) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        throw new Error('not subscribed in time (last error realtime_timeout: no ack)');
      }
      handler = onEvent;
      return { close: () => closed.push(roomId) };
    },
  };
  const publisher = {
    async publish(event: RoomEvent) {
      published.push(event);
      if (options.deliver !== false) setTimeout(() => handler?.(event), 1);
    },
  };
  return { subscriber, publisher, closed, published };
}

/** An edge that stores posts and shows them to polls (or never does). */
function edge(options: { shows?: boolean; refuses?: string } = {}) {
  const posts: { roomId: string; text: string; token: string }[] = [];
  const viewer: EdgeViewer = {
    async post(roomId, comment) {
      if (options.refuses) throw new Error(options.refuses);
      posts.push({ roomId, text: comment.text, token: comment.token });
      return `comment-${posts.length}`;
    },
    async pollUntilShown(_roomId, commentId, signal) {
      if (options.shows !== false) return;
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      throw new Error(`comment ${commentId} did not show in 2 polled document(s)`);
    },
  };
  return { viewer, posts };
}

function deps(overrides: Partial<CanaryDeps> = {}): CanaryDeps & { rooms: InMemoryRooms } {
  const realtime = loopback();
  return {
    roomId: 'canary',
    rooms: new InMemoryRooms(),
    publisher: realtime.publisher,
    subscriber: realtime.subscriber,
    edge: edge().viewer,
    viewerToken: async () => 'token-1',
    clock: Date.now,
    timeouts: FAST,
    ...overrides,
  } as CanaryDeps & { rooms: InMemoryRooms };
}

const outcomes = (run: Awaited<ReturnType<typeof runCanary>>) =>
  Object.fromEntries(Object.entries(run.steps).map(([name, step]) => [name, step.outcome]));

describe('runCanary', () => {
  it('creates the canary room in its own channel on the first run, and every step succeeds', async () => {
    const realtime = loopback();
    const { viewer, posts } = edge();
    const d = deps({ publisher: realtime.publisher, subscriber: realtime.subscriber, edge: viewer });

    const run = await runCanary(d);

    expect(outcomes(run)).toEqual({ room: 'ok', subscribe: 'ok', push: 'ok', post: 'ok', poll: 'ok' });
    expect(run.failed).toBe(false);
    expect(await d.rooms.get('canary')).toMatchObject({ channelId: CANARY_CHANNEL_ID, status: 'open' });
    expect(realtime.published).toMatchObject([{ roomId: 'canary', kind: 'PING' }]);
    expect(realtime.closed).toEqual(['canary']);
    expect(posts).toEqual([
      { roomId: 'canary', text: expect.stringMatching(/^canary /) as unknown, token: 'token-1' },
    ]);
    for (const step of Object.values(run.steps)) expect(step.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('uses the room as it is when it exists', async () => {
    const existing = aRoom({ roomId: 'canary', title: 'Ours', settings: { pollIntervalSeconds: 1 } });
    const d = deps({ rooms: new InMemoryRooms(existing) });

    const run = await runCanary(d);

    expect(run.steps.room.outcome).toBe('ok');
    expect(await d.rooms.get('canary')).toEqual(existing);
  });

  it('fails the push when the PING never arrives, and closes the subscription', async () => {
    const realtime = loopback({ deliver: false });

    const run = await runCanary(deps({ publisher: realtime.publisher, subscriber: realtime.subscriber }));

    expect(outcomes(run)).toMatchObject({ subscribe: 'ok', push: 'failed', post: 'ok', poll: 'ok' });
    expect(run.steps.push.error).toMatch(/never arrived/);
    expect(run.failed).toBe(true);
    expect(realtime.closed).toEqual(['canary']);
  });

  it('ignores a PING that is not its own', async () => {
    let handler: ((event: RoomEvent) => void) | undefined;
    const subscriber: RoomSubscriber = {
      async subscribe(_roomId, onEvent) {
        handler = onEvent;
        return { close: () => {} };
      },
    };
    // Another canary's ping (or an operator's) arrives on the room; ours is lost.
    const publisher = {
      async publish(event: RoomEvent) {
        setTimeout(() => handler?.({ ...event, payload: { nonce: 'someone-else' } } as RoomEvent), 1);
      },
    };

    const run = await runCanary(deps({ publisher, subscriber }));

    expect(run.steps.push.outcome).toBe('failed');
  });

  it('fails the push with the publisher’s error when publishing fails', async () => {
    const realtime = loopback();
    const publisher = {
      async publish() {
        throw new Error('AppSync answered 401.');
      },
    };

    const run = await runCanary(deps({ publisher, subscriber: realtime.subscriber }));

    expect(run.steps.push).toEqual({
      outcome: 'failed',
      error: 'publishing the PING failed: AppSync answered 401.',
    });
  });

  it('fails the subscription and skips the push when it is not acknowledged in time', async () => {
    const realtime = loopback({ subscribeFails: true });

    const run = await runCanary(deps({ publisher: realtime.publisher, subscriber: realtime.subscriber }));

    expect(outcomes(run)).toMatchObject({ subscribe: 'failed', push: 'skipped', post: 'ok', poll: 'ok' });
    expect(run.steps.subscribe.error).toMatch(/not subscribed in time/);
    expect(realtime.published).toEqual([]);
  });

  it('fails the poll when the comment never shows within the room’s intervals', async () => {
    const run = await runCanary(deps({ edge: edge({ shows: false }).viewer }));

    expect(outcomes(run)).toMatchObject({ post: 'ok', poll: 'failed' });
    expect(run.steps.poll.error).toMatch(/did not show/);
  });

  it('waits for the poll no longer than its cap, however long the room’s interval', async () => {
    const room = aRoom({ roomId: 'canary', settings: { pollIntervalSeconds: 60 } });
    const timeouts = { ...FAST, pollIntervals: 2, pollMaxMs: 300 };

    const run = await runCanary(
      deps({ rooms: new InMemoryRooms(room), edge: edge({ shows: false }).viewer, timeouts }),
    );

    // Two 60 s intervals would outlast the test's own timeout: the cap ended it.
    expect(run.steps.poll.outcome).toBe('failed');
  });

  it('fails the post with the refusal and skips the poll', async () => {
    const run = await runCanary(
      deps({ edge: edge({ refuses: 'the post was refused: invalid_token (401)' }).viewer }),
    );

    expect(outcomes(run)).toMatchObject({ post: 'failed', poll: 'skipped' });
    expect(run.steps.post.error).toContain('invalid_token');
  });

  it('says not_configured, posts nothing and does not fail the run without a token', async () => {
    const { viewer, posts } = edge();

    const run = await runCanary(deps({ edge: viewer, viewerToken: async () => undefined }));

    expect(outcomes(run)).toEqual({
      room: 'ok',
      subscribe: 'ok',
      push: 'ok',
      post: 'not_configured',
      poll: 'skipped',
    });
    expect(run.failed).toBe(false);
    expect(posts).toEqual([]);
  });

  it('fails the post when the token cannot be read', async () => {
    const run = await runCanary(
      deps({
        viewerToken: async () => {
          throw new Error('AccessDeniedException');
        },
      }),
    );

    expect(run.steps.post).toEqual({
      outcome: 'failed',
      error: "reading the canary's viewer token failed: AccessDeniedException",
    });
    expect(run.failed).toBe(true);
  });

  it.each([
    ['closed', aRoom({ roomId: 'canary', status: 'closed' }), /is closed/],
    ['silenced', aRoom({ roomId: 'canary', settings: { enabled: false } }), /chat turned off/],
    ['read-only', aRoom({ roomId: 'canary', settings: { postingAllowed: 'nobody' } }), /allows no posts/],
  ])(
    'fails the room step for a %s canary room and posts nothing, while the push still runs',
    async (_, room, why) => {
      const { viewer, posts } = edge();

      const run = await runCanary(deps({ rooms: new InMemoryRooms(room), edge: viewer }));

      expect(outcomes(run)).toEqual({
        room: 'failed',
        subscribe: 'ok',
        push: 'ok',
        post: 'skipped',
        poll: 'skipped',
      });
      expect(run.steps.room.error).toMatch(why);
      expect(posts).toEqual([]);
    },
  );

  it('fails the room step when the table cannot be read', async () => {
    const rooms = new InMemoryRooms();
    rooms.get = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };

    const run = await runCanary(deps({ rooms }));

    expect(run.steps.room).toEqual({ outcome: 'failed', error: 'ProvisionedThroughputExceededException' });
    expect(run.steps.post.outcome).toBe('skipped');
  });

  it('takes the room another run created meanwhile', async () => {
    const rooms = new InMemoryRooms();
    const theirs = aRoom({ roomId: 'canary', title: 'Theirs' });
    let reads = 0;
    rooms.get = async () => (reads++ === 0 ? undefined : theirs);
    rooms.create = async () => false;

    const run = await runCanary(deps({ rooms }));

    expect(run.steps.room.outcome).toBe('ok');
    expect(reads).toBe(2);
  });
});
