import { describe, expect, it } from 'vitest';
import type { PostCommentBody } from '../../../../lambdas/domain/feed/comment.js';
import { RateLimitedError } from '../../../../lambdas/domain/errors.js';
import { commentIdTime } from '../../../../lambdas/domain/feed/ids.js';
import type { CommentWriter, CreateCommentResult } from '../../../../lambdas/domain/feed/ports.js';
import { postComment, type PostCommentDeps } from '../../../../lambdas/domain/feed/post-comment.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import {
  aComment,
  aRoom,
  aViewer,
  InMemoryComments,
  InMemoryModeration,
  InMemoryRooms,
  manualClock,
  rejection,
} from '../../fakes.js';
import { emptyChannel } from '../../../../lambdas/domain/moderation/moderation.js';

// Comment ids come from a per-process monotonic factory: every test starts a
// day after the previous one, so no test sees ids pinned to an earlier test's time.
let day = 0;
const freshTime = () => Date.UTC(2030, 0, 1) + ++day * 86_400_000;

function setup(options: { room?: Room; random?: () => number; retentionDays?: number } = {}) {
  const room = options.room ?? aRoom();
  const rooms = new InMemoryRooms(room);
  const comments = new InMemoryComments();
  const moderation = new InMemoryModeration(rooms);
  const clock = manualClock(freshTime());
  const deps: PostCommentDeps = {
    rooms,
    moderation,
    comments,
    clock,
    retentionDays: options.retentionDays ?? 30,
    ...(options.random ? { random: options.random } : {}),
  };
  return { room, rooms, comments, moderation, clock, deps };
}

const body = (text: string, clientMessageId = 'msg-1'): PostCommentBody => ({ text, clientMessageId });

describe('postComment', () => {
  it('stores a comment with the viewer identity and the normalised text', async () => {
    // Prepare
    const { room, comments, clock, deps } = setup();

    // Act
    const result = await postComment(deps, room.roomId, aViewer(), body('  hello\r\n\r\nworld  '));

    // Assess
    expect(result.replayed).toBe(false);
    expect(result.comment).toMatchObject({
      roomId: room.roomId,
      userId: 'user-1',
      displayName: 'Ada',
      text: 'hello\nworld',
      createdAt: new Date(clock()).toISOString(),
    });
    expect(comments.stored(room.roomId)).toEqual([result.comment]);
    expect(comments.creates).toHaveLength(1);
    expect(comments.creates[0]).toMatchObject({ comment: result.comment, clientMessageId: 'msg-1' });
  });

  it('returns 404 room_not_found for an unknown room and writes nothing', async () => {
    const { comments, deps } = setup();

    const error = await rejection(postComment(deps, 'nope', aViewer(), body('hi')));

    expect(error).toMatchObject({ status: 404, code: 'room_not_found', retryable: false });
    expect(error.message).toContain('nope');
    expect(comments.creates).toEqual([]);
  });

  it('returns 403 room_closed for a new comment in a closed room and writes nothing', async () => {
    const { room, comments, deps } = setup({ room: aRoom({ status: 'closed' }) });

    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('hi')));

    expect(error).toMatchObject({ status: 403, code: 'room_closed' });
    expect(comments.creates).toEqual([]);
  });

  it('replays a request accepted before the room closed', async () => {
    // Prepare
    const { room, rooms, comments, deps } = setup();
    const first = await postComment(deps, room.roomId, aViewer(), body('last words', 'm-1'));
    rooms.put({ ...room, status: 'closed' });

    // Act
    const again = await postComment(deps, room.roomId, aViewer(), body('last words', 'm-1'));

    // Assess
    expect(again).toEqual({ comment: first.comment, replayed: true });
    expect(comments.creates).toHaveLength(1);
  });

  it('refuses a retry with a different text after the room closed with 422 client_message_id_reused', async () => {
    const { room, rooms, deps } = setup();
    await postComment(deps, room.roomId, aViewer(), body('last words', 'm-1'));
    rooms.put({ ...room, status: 'closed' });

    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('other words', 'm-1')));

    expect(error).toMatchObject({ status: 422, code: 'client_message_id_reused' });
  });

  it("returns 403 in a closed room for another user's clientMessageId", async () => {
    const { room, rooms, deps } = setup();
    await postComment(deps, room.roomId, aViewer({ userId: 'a' }), body('hi', 'm-1'));
    rooms.put({ ...room, status: 'closed' });

    const error = await rejection(
      postComment(deps, room.roomId, aViewer({ userId: 'b' }), body('hi', 'm-1')),
    );

    expect(error).toMatchObject({ status: 403, code: 'room_closed' });
  });

  it('returns the first comment again, marked replayed, when a request is retried', async () => {
    // Prepare
    const { room, comments, clock, deps } = setup();
    const first = await postComment(deps, room.roomId, aViewer(), body('once', 'retry-1'));
    clock.advance(1_500);

    // Act
    const again = await postComment(deps, room.roomId, aViewer(), body('once', 'retry-1'));

    // Assess
    expect(again).toEqual({ comment: first.comment, replayed: true });
    expect(comments.stored(room.roomId)).toEqual([first.comment]);
  });

  it('treats a retry whose text normalises to the stored text as the same request', async () => {
    const { room, deps } = setup();
    const first = await postComment(deps, room.roomId, aViewer(), body('hello', 'm-1'));

    const again = await postComment(deps, room.roomId, aViewer(), body('  hello\t\r\n', 'm-1'));

    expect(again).toEqual({ comment: first.comment, replayed: true });
  });

  it('returns 422 client_message_id_reused when a clientMessageId comes back with a different text', async () => {
    const { room, comments, deps } = setup();
    await postComment(deps, room.roomId, aViewer(), body('first', 'same'));

    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('second', 'same')));

    expect(error).toMatchObject({ status: 422, code: 'client_message_id_reused', retryable: false });
    expect(comments.stored(room.roomId).map((c) => (c.kind === 'tombstone' ? c.commentId : c.text))).toEqual([
      'first',
    ]);
  });

  it('lets two users use the same clientMessageId independently', async () => {
    const { room, comments, deps } = setup();

    const a = await postComment(deps, room.roomId, aViewer({ userId: 'a' }), body('hi', 'c1'));
    const b = await postComment(deps, room.roomId, aViewer({ userId: 'b' }), body('hi', 'c1'));

    expect(a.replayed).toBe(false);
    expect(b.replayed).toBe(false);
    expect(b.comment.id).not.toBe(a.comment.id);
    expect(comments.stored(room.roomId)).toHaveLength(2);
  });

  it('refuses invalid text with 422 before writing', async () => {
    const { room, comments, deps } = setup();

    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('\u200B \u3000')));

    expect(error).toMatchObject({ status: 422, code: 'empty_text' });
    expect(comments.creates).toEqual([]);
  });

  it("applies the room's maxCommentLength", async () => {
    const { room, deps } = setup({ room: aRoom({ settings: { maxCommentLength: 5 } }) });

    const ok = await postComment(deps, room.roomId, aViewer(), body('abcde', 'm-1'));
    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('abcdef', 'm-2')));

    expect(ok.comment.text).toBe('abcde');
    expect(error).toMatchObject({ status: 422, code: 'text_too_long' });
    expect(error.message).toContain('5');
  });

  describe('slow mode', () => {
    const slowRoom = () => aRoom({ settings: { slowModeSeconds: 30 } });

    it('returns 429 slow_mode when the user posts inside the slow-mode window', async () => {
      // Prepare
      const { room, comments, clock, deps } = setup({ room: slowRoom() });
      await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      clock.advance(10_000);

      // Act
      const error = await rejection(postComment(deps, room.roomId, aViewer(), body('two', 'm-2')));

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ status: 429, code: 'slow_mode', retryable: true, retryAfterSec: 20 });
      expect(error.message).toContain('30 s');
      expect(
        comments.stored(room.roomId).map((c) => (c.kind === 'tombstone' ? c.commentId : c.text)),
      ).toEqual(['one']);
    });

    it.each([
      [28_999, 2],
      [29_000, 1],
      [29_001, 1],
      [29_999, 1],
    ])('rounds the wait up to whole seconds (posting %i ms later → %i s)', async (afterMs, retryAfterSec) => {
      const { room, clock, deps } = setup({ room: slowRoom() });
      await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      clock.advance(afterMs);

      const error = await rejection(postComment(deps, room.roomId, aViewer(), body('two', 'm-2')));

      expect(error.retryAfterSec).toBe(retryAfterSec);
    });

    it('answers at least 1 s even when the store reports no wait left', async () => {
      // Prepare: a store that refuses with 0 ms left (it computes max(0, until - now)).
      const refusing: CommentWriter = {
        create: async (): Promise<CreateCommentResult> => ({ outcome: 'slow-mode', retryAfterMs: 0 }),
        findByClientMessageId: async () => undefined,
      };
      const { room, deps } = setup({ room: slowRoom() });

      // Act
      const error = await rejection(
        postComment({ ...deps, comments: refusing }, room.roomId, aViewer(), body('x')),
      );

      // Assess
      expect(error).toMatchObject({ status: 429, code: 'slow_mode', retryAfterSec: 1 });
    });

    it('accepts the next comment once the window has ended', async () => {
      const { room, clock, deps } = setup({ room: slowRoom() });
      await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      clock.advance(30_000);

      const second = await postComment(deps, room.roomId, aViewer(), body('two', 'm-2'));

      expect(second.replayed).toBe(false);
    });

    it('asks the store for a window of slowModeSeconds from now', async () => {
      const { room, comments, clock, deps } = setup({ room: slowRoom() });

      await postComment(deps, room.roomId, aViewer(), body('one'));

      expect(comments.creates[0]?.slowMode).toEqual({ nowMs: clock(), untilMs: clock() + 30_000 });
    });

    it('asks for no window when slow mode is off, so a user may post twice in one millisecond', async () => {
      const { room, comments, deps } = setup();

      await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      const second = await postComment(deps, room.roomId, aViewer(), body('two', 'm-2'));

      expect(comments.creates[0]).not.toHaveProperty('slowMode');
      expect(second.replayed).toBe(false);
      expect(comments.stored(room.roomId)).toHaveLength(2);
    });

    it('replays a retry inside the window instead of answering 429', async () => {
      const { room, clock, deps } = setup({ room: slowRoom() });
      const first = await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      clock.advance(1_000);

      const again = await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));

      expect(again).toEqual({ comment: first.comment, replayed: true });
    });

    it('keeps windows per user', async () => {
      const { room, deps } = setup({ room: slowRoom() });
      await postComment(deps, room.roomId, aViewer({ userId: 'a' }), body('one', 'm-1'));

      const other = await postComment(deps, room.roomId, aViewer({ userId: 'b' }), body('two', 'm-2'));

      expect(other.replayed).toBe(false);
    });
  });

  describe('time and retention', () => {
    it("sets createdAt to the id's time", async () => {
      const { room, clock, deps } = setup();
      clock.advance(123);

      const { comment } = await postComment(deps, room.roomId, aViewer(), body('hi'));

      expect(commentIdTime(comment.id)).toBe(clock());
      expect(comment.createdAt).toBe(new Date(commentIdTime(comment.id)).toISOString());
    });

    it("keeps createdAt on the id's time when the clock steps back", async () => {
      // Prepare
      const { room, clock, deps } = setup();
      const first = await postComment(deps, room.roomId, aViewer(), body('one', 'm-1'));
      clock.advance(-2_000);

      // Act
      const { comment } = await postComment(deps, room.roomId, aViewer(), body('two', 'm-2'));

      // Assess
      expect(comment.id > first.comment.id).toBe(true);
      expect(comment.createdAt).toBe(new Date(commentIdTime(comment.id)).toISOString());
      expect(comment.createdAt).toBe(first.comment.createdAt);
    });

    it('expires the comment retentionDays after now, in whole epoch seconds', async () => {
      // Prepare: a time halfway through a second.
      const { room, comments, clock, deps } = setup({ retentionDays: 7 });
      clock.advance(500);

      // Act
      await postComment(deps, room.roomId, aViewer(), body('hi'));

      // Assess
      expect(comments.creates[0]?.expiresAtSec).toBe(Math.ceil(clock() / 1000) + 7 * 86_400);
    });
  });

  describe('sharding', () => {
    it.each([
      [0, 0],
      [0.3, 1],
      [0.5, 2],
      [0.999999, 3],
    ])('writes to the shard chosen by random %s → %i', async (r, shard) => {
      const { room, comments, deps } = setup({ room: aRoom({ shards: 4 }), random: () => r });

      await postComment(deps, room.roomId, aViewer(), body('hi'));

      expect(comments.creates[0]?.shard).toBe(shard);
    });

    it('writes to shard 0 of a single-shard room', async () => {
      const { room, comments, deps } = setup({ random: () => 0.9 });

      await postComment(deps, room.roomId, aViewer(), body('hi'));

      expect(comments.creates[0]?.shard).toBe(0);
    });
  });

  it('replays the comment a store reports as a duplicate', async () => {
    // Prepare: the store already holds this request's comment (a concurrent copy won the race).
    const { room, comments, deps } = setup();
    const earlier = aComment(room.roomId, Date.UTC(2030, 0, 1), { userId: 'user-1', text: 'race' });
    const racing: CommentWriter = {
      create: async () => ({ outcome: 'duplicate', comment: earlier }),
      findByClientMessageId: (...args) => comments.findByClientMessageId(...args),
    };

    // Act
    const result = await postComment({ ...deps, comments: racing }, room.roomId, aViewer(), body('race'));

    // Assess
    expect(result).toEqual({ comment: earlier, replayed: true });
  });

  it('replays a retry of a comment accepted before the room lowered its length limit', async () => {
    // Prepare
    const { room, rooms, comments, deps } = setup();
    const first = await postComment(deps, room.roomId, aViewer(), body('twelve chars', 'm-1'));
    rooms.put({ ...room, settings: { ...room.settings, maxCommentLength: 5 } });

    // Act
    const again = await postComment(deps, room.roomId, aViewer(), body('twelve chars', 'm-1'));

    // Assess
    expect(again).toEqual({ comment: first.comment, replayed: true });
    expect(comments.creates).toHaveLength(1);
  });

  it('still refuses a new comment over the lowered limit with 422 text_too_long', async () => {
    const { room, rooms, comments, deps } = setup();
    rooms.put({ ...room, settings: { ...room.settings, maxCommentLength: 5 } });

    const error = await rejection(postComment(deps, room.roomId, aViewer(), body('twelve chars', 'm-2')));

    expect(error).toMatchObject({ status: 422, code: 'text_too_long' });
    expect(comments.creates).toHaveLength(0);
  });

  describe('bans', () => {
    it('refuses a banned user with 403 banned and writes nothing', async () => {
      const { room, rooms, comments, deps, clock } = setup();
      rooms.put({ ...room, bans: { 'user-1': { bannedAt: new Date(clock()).toISOString() } } });

      const error = await rejection(
        postComment(deps, room.roomId, aViewer({ userId: 'user-1' }), body('hi')),
      );

      expect(error).toMatchObject({ status: 403, code: 'banned', retryable: false });
      expect(comments.creates).toHaveLength(0);
    });

    it('says until when a timed ban ends, and lets the user post once it has', async () => {
      const { room, rooms, deps, clock } = setup();
      const until = new Date(clock() + 60_000).toISOString();
      rooms.put({ ...room, bans: { 'user-1': { bannedAt: new Date(clock()).toISOString(), until } } });

      const error = await rejection(
        postComment(deps, room.roomId, aViewer({ userId: 'user-1' }), body('hi', 'a')),
      );
      clock.advance(60_001);
      const later = await postComment(deps, room.roomId, aViewer({ userId: 'user-1' }), body('hi', 'b'));

      expect(error.message).toContain(until);
      expect(later.replayed).toBe(false);
    });

    it('still answers a retry of a comment accepted before the ban', async () => {
      const { room, rooms, deps, clock } = setup();
      const first = await postComment(
        deps,
        room.roomId,
        aViewer({ userId: 'user-1' }),
        body('before', 'm-1'),
      );
      rooms.put({ ...room, bans: { 'user-1': { bannedAt: new Date(clock()).toISOString() } } });

      const again = await postComment(
        deps,
        room.roomId,
        aViewer({ userId: 'user-1' }),
        body('before', 'm-1'),
      );

      expect(again).toEqual({ comment: first.comment, replayed: true });
    });

    it('does not refuse other users', async () => {
      const { room, rooms, deps, clock } = setup();
      rooms.put({ ...room, bans: { troll: { bannedAt: new Date(clock()).toISOString() } } });

      await expect(
        postComment(deps, room.roomId, aViewer({ userId: 'user-1' }), body('hi')),
      ).resolves.toBeDefined();
    });
  });

  describe('NG words', () => {
    it('refuses a comment containing one of the room’s NG words, however written, with 422 ng_word', async () => {
      const { room, rooms, comments, deps } = setup();
      rooms.put({ ...room, settings: { ...room.settings, ngWords: ['spoiler'] } });

      const error = await rejection(
        postComment(deps, room.roomId, aViewer(), body('big ＳＰＯＩＬ ＥＲ ahead')),
      );

      expect(error).toMatchObject({ status: 422, code: 'ng_word', retryable: false });
      expect(error.message).not.toContain('spoiler');
      expect(comments.creates).toHaveLength(0);
    });

    it('still answers a retry of a comment accepted before the word was listed', async () => {
      const { room, rooms, deps } = setup();
      const first = await postComment(deps, room.roomId, aViewer(), body('no spoilers please', 'm-1'));
      rooms.put({ ...room, settings: { ...room.settings, ngWords: ['spoiler'] } });

      const again = await postComment(deps, room.roomId, aViewer(), body('no spoilers please', 'm-1'));

      expect(again).toEqual({ comment: first.comment, replayed: true });
    });
  });

  describe('a ban lifted while the cache still holds it', () => {
    /** The cached readers still say "banned"; the table (`uncached`) no longer does. */
    function liftedSetup() {
      const { room, comments, clock, deps } = setup({ room: { ...aRoom(), channelId: 'ch-1' } });
      const stale = new InMemoryRooms({
        ...room,
        bans: { 'user-1': { bannedAt: new Date(clock()).toISOString() } },
      });
      const staleModeration = new InMemoryModeration(stale);
      staleModeration.channels.set('ch-1', {
        ...emptyChannel('ch-1'),
        blocks: { 'user-1': { blockedAt: new Date(clock()).toISOString() } },
      });
      const table = { rooms: new InMemoryRooms(room), moderation: new InMemoryModeration(stale) };
      return {
        room,
        comments,
        table,
        cachedOnly: { ...deps, rooms: stale, moderation: staleModeration },
        withTable: { ...deps, rooms: stale, moderation: staleModeration, uncached: table },
      };
    }

    it('posts when the table no longer has the ban or block, and refuses from the cache alone', async () => {
      const { room, comments, cachedOnly, withTable } = liftedSetup();

      const refused = await rejection(postComment(cachedOnly, room.roomId, aViewer(), body('hi', 'm-1')));
      const posted = await postComment(withTable, room.roomId, aViewer(), body('thank you', 'm-2'));

      expect(refused).toMatchObject({ status: 403, code: 'blocked' });
      expect(posted.comment.text).toBe('thank you');
      expect(comments.creates).toHaveLength(1);
    });

    it('reads the table only for ban and block refusals', async () => {
      const { room, table, withTable } = liftedSetup();
      const closed = { ...withTable, rooms: new InMemoryRooms({ ...room, status: 'closed' as const }) };

      await rejection(postComment(closed, room.roomId, aViewer(), body('hi')));

      expect(table.moderation.channelReads).toEqual([]);
    });
  });

  describe('channel bans and blocks', () => {
    const channelRoom = () => ({ ...aRoom(), channelId: 'ch-1' });

    it('refuses a user banned from the room’s channel with 403 banned and writes nothing', async () => {
      const { room, comments, moderation, deps, clock } = setup({ room: channelRoom() });
      const until = new Date(clock() + 300_000).toISOString();
      moderation.channels.set('ch-1', {
        ...emptyChannel('ch-1'),
        bans: { 'user-1': { bannedAt: new Date(clock()).toISOString(), until } },
      });

      const error = await rejection(postComment(deps, room.roomId, aViewer(), body('hi')));

      expect(error).toMatchObject({ status: 403, code: 'banned' });
      expect(error.message).toContain(until);
      expect(comments.creates).toHaveLength(0);
      expect(moderation.channelReads).toEqual(['ch-1']);
    });

    it('refuses a user the channel blocked with 403 blocked', async () => {
      const { room, comments, moderation, deps, clock } = setup({ room: channelRoom() });
      moderation.channels.set('ch-1', {
        ...emptyChannel('ch-1'),
        blocks: { 'user-1': { blockedAt: new Date(clock()).toISOString() } },
      });

      const error = await rejection(postComment(deps, room.roomId, aViewer(), body('hi')));

      expect(error).toMatchObject({ status: 403, code: 'blocked' });
      expect(comments.creates).toHaveLength(0);
    });

    it('ignores another channel’s bans', async () => {
      const { room, moderation, deps, clock } = setup({ room: channelRoom() });
      moderation.channels.set('ch-2', {
        ...emptyChannel('ch-2'),
        blocks: { 'user-1': { blockedAt: new Date(clock()).toISOString() } },
      });

      await expect(postComment(deps, room.roomId, aViewer(), body('hi'))).resolves.toMatchObject({
        replayed: false,
      });
    });

    it('still answers a retry of a comment accepted before the block', async () => {
      const { room, moderation, deps, clock } = setup({ room: channelRoom() });
      const first = await postComment(deps, room.roomId, aViewer(), body('before', 'm-1'));
      moderation.channels.set('ch-1', {
        ...emptyChannel('ch-1'),
        blocks: { 'user-1': { blockedAt: new Date(clock()).toISOString() } },
      });

      const again = await postComment(deps, room.roomId, aViewer(), body('before', 'm-1'));

      expect(again).toEqual({ comment: first.comment, replayed: true });
    });
  });

  describe('global NG words and posting settings', () => {
    it('refuses a comment with a word of the global list with 422 ng_word, saying why', async () => {
      const { room, comments, moderation, deps } = setup();
      moderation.list = { words: ['forbidden'], version: 1 };

      const error = await rejection(
        postComment(deps, room.roomId, aViewer(), body('so ＦＯＲＢＩＤ​ＤＥＮ')),
      );

      expect(error).toMatchObject({ status: 422, code: 'ng_word' });
      expect(error.message).toMatch(/contains a word that is not allowed/);
      expect(comments.creates).toHaveLength(0);
    });

    it.each([
      ['chat is off', { enabled: false }, 'chat_disabled'],
      ['posting is closed', { postingAllowed: 'nobody' as const }, 'posting_closed'],
    ])('refuses every post with 403 while %s, and replays earlier ones', async (_, settings, code) => {
      const { room, rooms, comments, deps } = setup();
      const first = await postComment(deps, room.roomId, aViewer(), body('earlier', 'm-1'));
      rooms.put({ ...room, settings: { ...room.settings, ...settings } });

      const error = await rejection(postComment(deps, room.roomId, aViewer(), body('new', 'm-2')));
      const again = await postComment(deps, room.roomId, aViewer(), body('earlier', 'm-1'));

      expect(error).toMatchObject({ status: 403, code });
      expect(again).toEqual({ comment: first.comment, replayed: true });
      expect(comments.creates).toHaveLength(1);
    });
  });

  describe('comment decorations', () => {
    it('stores the style the viewer is entitled to when the room allows it', async () => {
      // Prepare
      const { room, comments, deps } = setup();

      // Act
      const result = await postComment(deps, room.roomId, aViewer({ style: 'sakura' }), body('hi'));

      // Assess
      expect(result.comment.style).toBe('sakura');
      expect(comments.creates[0]!.comment.style).toBe('sakura');
      expect(comments.stored(room.roomId)).toEqual([result.comment]);
    });

    it('posts plain, without refusing, when the room does not allow the style', async () => {
      const { room, comments, deps } = setup({ room: aRoom({ settings: { commentStyles: ['gold'] } }) });

      const result = await postComment(deps, room.roomId, aViewer({ style: 'sakura' }), body('hi'));

      expect(result.replayed).toBe(false);
      expect(result.comment.text).toBe('hi');
      expect(result.comment).not.toHaveProperty('style');
      expect(comments.creates[0]!.comment).not.toHaveProperty('style');
    });

    it('posts plain in a room that allows no styles', async () => {
      const { room, deps } = setup({ room: aRoom({ settings: { commentStyles: [] } }) });

      const result = await postComment(deps, room.roomId, aViewer({ style: 'gold' }), body('hi'));

      expect(result.comment).not.toHaveProperty('style');
    });

    it('posts plain for a viewer with no entitlement', async () => {
      const { room, deps } = setup();

      const result = await postComment(deps, room.roomId, aViewer(), body('hi'));

      expect(result.comment).not.toHaveProperty('style');
    });

    it('follows the room’s current list: a style removed from it stops being stored', async () => {
      const { room, rooms, deps } = setup();
      const before = await postComment(deps, room.roomId, aViewer({ style: 'gold' }), body('one', 'm-1'));
      rooms.put({ ...room, settings: { ...room.settings, commentStyles: ['sky'] } });

      const after = await postComment(deps, room.roomId, aViewer({ style: 'gold' }), body('two', 'm-2'));

      expect(before.comment.style).toBe('gold');
      expect(after.comment).not.toHaveProperty('style');
    });

    it('replays a retry with the style the comment was stored with', async () => {
      const { room, rooms, comments, deps } = setup();
      const first = await postComment(deps, room.roomId, aViewer({ style: 'violet' }), body('hi'));
      rooms.put({ ...room, settings: { ...room.settings, commentStyles: [] } });

      const again = await postComment(deps, room.roomId, aViewer({ style: 'violet' }), body('hi'));

      expect(again).toEqual({ comment: first.comment, replayed: true });
      expect(again.comment.style).toBe('violet');
      expect(comments.stored(room.roomId)).toEqual([first.comment]);
    });
  });
});
