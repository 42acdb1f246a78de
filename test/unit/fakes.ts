import { ulid } from 'ulid';
import { expect } from 'vitest';
import { ChatError } from '../../lambdas/domain/errors.js';
import type { Comment, FeedRecord, Viewer } from '../../lambdas/domain/feed/comment.js';
import type {
  CommentReader,
  CommentWriter,
  CreateCommentRequest,
  CreateCommentResult,
  DeleteOutcome,
  FeedWriter,
} from '../../lambdas/domain/feed/ports.js';
import type { ModerationReader, ModerationWriter } from '../../lambdas/domain/moderation/ports.js';
import type { RoomReader, RoomWriter } from '../../lambdas/domain/rooms/ports.js';
import {
  emptyChannel,
  type ChannelModeration,
  type NgWordList,
} from '../../lambdas/domain/moderation/moderation.js';
import { createRoom, type NewRoom, type Room } from '../../lambdas/domain/rooms/room.js';

/** A clock the test moves by hand. */
export function manualClock(startMs: number) {
  let nowMs = startMs;
  const clock = () => nowMs;
  return Object.assign(clock, {
    set(ms: number) {
      nowMs = ms;
    },
    advance(ms: number) {
      nowMs += ms;
    },
  });
}

/** A room as `createRoom` builds it, with the fields a test cares about overridden. */
export function aRoom(
  overrides: Partial<NewRoom> & { createdAt?: Date; status?: Room['status'] } = {},
): Room {
  const room = createRoom(
    {
      roomId: overrides.roomId ?? 'room-1',
      title: overrides.title ?? 'Launch stream',
      ...(overrides.settings ? { settings: overrides.settings } : {}),
      ...(overrides.shards ? { shards: overrides.shards } : {}),
    },
    overrides.createdAt ?? new Date(Date.UTC(2030, 0, 1)),
  );
  return overrides.status ? { ...room, status: overrides.status } : room;
}

export const aViewer = (overrides: Partial<Viewer> = {}): Viewer => ({
  userId: 'user-1',
  displayName: 'Ada',
  ...overrides,
});

let seeded = 0;

/** A stored comment created at `atMs` (a fresh, non-monotonic id for that time). */
export function aComment(roomId: string, atMs: number, overrides: Partial<Comment> = {}): Comment {
  seeded++;
  return {
    id: ulid(atMs),
    roomId,
    kind: 'comment',
    userId: `user-${seeded}`,
    displayName: 'Tester',
    text: `comment ${seeded}`,
    createdAt: new Date(atMs).toISOString(),
    ...overrides,
  };
}

/** RoomReader and RoomWriter over a map; records every id it was asked for. */
export class InMemoryRooms implements RoomReader, RoomWriter {
  readonly reads: string[] = [];
  private readonly rooms = new Map<string, Room>();

  constructor(...rooms: Room[]) {
    for (const room of rooms) this.put(room);
  }

  put(room: Room): void {
    this.rooms.set(room.roomId, room);
  }

  async get(roomId: string): Promise<Room | undefined> {
    this.reads.push(roomId);
    return this.rooms.get(roomId);
  }

  async create(room: Room): Promise<boolean> {
    if (this.rooms.has(room.roomId)) return false;
    this.put(room);
    return true;
  }

  async updateBans(roomId: string, change: (bans: Room['bans']) => Room['bans']) {
    const room = this.rooms.get(roomId);
    if (!room) return undefined;
    const bans = change(room.bans);
    this.put({ ...room, bans });
    return bans;
  }

  async updateSettings(
    roomId: string,
    settings: Room['settings'],
    expectedVersion: number,
    updatedAt: string,
  ) {
    const room = this.rooms.get(roomId);
    if (!room) return 'not-found' as const;
    if (room.version !== expectedVersion) return 'stale' as const;
    const updated = { ...room, settings, version: room.version + 1, updatedAt };
    this.put(updated);
    return updated;
  }
}

/**
 * CommentWriter and CommentReader with the contract of the DynamoDB store: one
 * atomic create that is idempotent by (roomId, userId, clientMessageId) — a
 * duplicate wins over slow mode, as the idempotency record is the
 * transaction's first condition — and that refuses a write while the user's
 * slow-mode window has not ended by `nowMs`. Nothing is written on refusal.
 */
export class InMemoryComments implements CommentWriter, CommentReader, FeedWriter {
  readonly creates: CreateCommentRequest[] = [];
  readonly queries: { kind: 'newest' | 'range'; roomId: string; shards: number }[] = [];
  private readonly partitions = new Map<string, FeedRecord[]>();
  private readonly idempotency = new Map<string, Comment>();
  private readonly slowUntil = new Map<string, number>();

  async create(request: CreateCommentRequest): Promise<CreateCommentResult> {
    this.creates.push(request);
    const { comment, shard, clientMessageId, slowMode } = request;
    const earlier = this.idempotency.get(idempotencyKey(comment.roomId, comment.userId, clientMessageId));
    if (earlier) return { outcome: 'duplicate', comment: earlier };
    const slowKey = JSON.stringify([comment.roomId, comment.userId]);
    const untilMs = this.slowUntil.get(slowKey);
    if (slowMode && untilMs !== undefined && untilMs > slowMode.nowMs) {
      return { outcome: 'slow-mode', retryAfterMs: Math.max(0, untilMs - slowMode.nowMs) };
    }
    this.idempotency.set(idempotencyKey(comment.roomId, comment.userId, clientMessageId), comment);
    if (slowMode) this.slowUntil.set(slowKey, slowMode.untilMs);
    this.seed(comment, shard);
    return { outcome: 'created', comment };
  }

  async findByClientMessageId(roomId: string, userId: string, clientMessageId: string) {
    return this.idempotency.get(idempotencyKey(roomId, userId, clientMessageId));
  }

  async newest(roomId: string, shards: number, fromId: string, limit: number): Promise<FeedRecord[][]> {
    this.queries.push({ kind: 'newest', roomId, shards });
    return this.eachShard(roomId, shards, (list) =>
      list
        .filter((c) => c.id >= fromId)
        .reverse()
        .slice(0, limit),
    );
  }

  async range(roomId: string, shards: number, fromId: string, toId: string): Promise<FeedRecord[][]> {
    this.queries.push({ kind: 'range', roomId, shards });
    return this.eachShard(roomId, shards, (list) => list.filter((c) => c.id >= fromId && c.id <= toId));
  }

  async append(item: Comment, shard: number): Promise<void> {
    this.seed(item, shard);
  }

  /** Marks the item deleted and stores its tombstone on the same shard, like the DynamoDB store. */
  async markDeleted(
    roomId: string,
    shards: number,
    commentId: string,
    tombstone: { id: string; deletedAt: string },
  ): Promise<DeleteOutcome> {
    for (let shard = 0; shard < shards; shard++) {
      const list = this.partitions.get(partition(roomId, shard)) ?? [];
      const index = list.findIndex((r) => r.id === commentId && r.kind !== 'tombstone');
      if (index < 0) continue;
      const item = list[index] as Comment & { deletedAt?: string };
      if (item.deletedAt !== undefined) return 'already-deleted';
      list[index] = { ...item, deletedAt: tombstone.deletedAt };
      this.seed(
        { id: tombstone.id, kind: 'tombstone', roomId, commentId, deletedAt: tombstone.deletedAt },
        shard,
      );
      return 'deleted';
    }
    return 'not-found';
  }

  async history(roomId: string, shards: number, beforeId: string | undefined, limit: number) {
    return this.eachShard(roomId, shards, (list) =>
      list
        .filter((r): r is Comment & { deletedAt?: string } => r.kind !== 'tombstone')
        .filter((r) => beforeId === undefined || r.id < beforeId)
        .reverse()
        .slice(0, limit),
    ) as (Comment & { deletedAt?: string })[][];
  }

  /** Stores a record directly, as if an earlier write had put it on `shard`. */
  seed<T extends FeedRecord>(comment: T, shard = 0): T {
    const key = partition(comment.roomId, shard);
    const list = [...(this.partitions.get(key) ?? []), comment].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.partitions.set(key, list);
    return comment;
  }

  /** Every stored comment of a room on any shard, by id. */
  stored(roomId: string): FeedRecord[] {
    return [...this.partitions.entries()]
      .filter(([key]) => JSON.parse(key)[0] === roomId)
      .flatMap(([, list]) => list)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private eachShard(
    roomId: string,
    shards: number,
    pick: (list: FeedRecord[]) => FeedRecord[],
  ): FeedRecord[][] {
    return Array.from({ length: shards }, (_, shard) =>
      pick([...(this.partitions.get(partition(roomId, shard)) ?? [])]),
    );
  }
}

const partition = (roomId: string, shard: number) => JSON.stringify([roomId, shard]);
const idempotencyKey = (roomId: string, userId: string, clientMessageId: string) =>
  JSON.stringify([roomId, userId, clientMessageId]);

/** Channel items, the global NG words and room purges, with the DynamoDB store's contract. */
export class InMemoryModeration implements ModerationReader, ModerationWriter {
  readonly channels = new Map<string, ChannelModeration>();
  list: NgWordList = { words: [], version: 0 };
  /** Channel reads, by channel id (cache tests count them). */
  readonly channelReads: string[] = [];

  constructor(private readonly rooms: InMemoryRooms = new InMemoryRooms()) {}

  async channel(channelId: string) {
    this.channelReads.push(channelId);
    return this.channels.get(channelId);
  }

  async ngWords() {
    return this.list;
  }

  async updateChannel(channelId: string, change: (current: ChannelModeration) => ChannelModeration) {
    const current = this.channels.get(channelId) ?? emptyChannel(channelId);
    const next = change(current);
    if (next !== current) this.channels.set(channelId, next);
    return next;
  }

  async replaceNgWords(list: Omit<NgWordList, 'version'>, expectedVersion: number) {
    if (this.list.version !== expectedVersion) return 'stale' as const;
    this.list = { ...list, version: expectedVersion + 1 };
    return this.list;
  }

  async updatePurges(roomId: string, change: (purges: Room['purges']) => Room['purges']) {
    const room = await this.rooms.get(roomId);
    if (!room) return undefined;
    const purges = change(room.purges);
    this.rooms.put({ ...room, purges });
    return purges;
  }
}

/** A promise the test settles by hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** mulberry32: a small seeded PRNG, so randomised tests are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ChatError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ChatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}
