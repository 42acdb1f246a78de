import {
  isTombstone,
  isVisible,
  presentItem,
  publicItem,
  type FeedItem,
  type FeedRecord,
  type Tombstone,
} from './comment.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { highestIdAt, lowestIdAt } from './ids.js';
import { ascendingBy, descendingBy, mergeSorted } from './merge.js';
import {
  isPurged,
  purgeViews,
  viewerBans,
  type ChannelModeration,
  type PurgeView,
  type ViewerBan,
} from '../moderation/moderation.js';
import type { Clock } from '../clock.js';
import type { ArchivedSegment, CommentReader, SegmentArchive } from './ports.js';
import type { ModerationReader } from '../moderation/ports.js';
import type { RoomReader } from '../rooms/ports.js';
import { GLOBAL_ROOM_ID } from '../paths.js';
import { publicRoom, type PublicRoom, type Room } from '../rooms/room.js';
import { PATH_NUMBER, segmentBounds, segmentOf, segmentState, type SegmentState } from './segments.js';
import { eventStartMs } from './vpos.js';
import { liveWindow, parseTick, tickExpiresAtMs, tickOf, tickRefusal } from './ticks.js';

export interface ReadFeedDeps {
  readonly rooms: RoomReader;
  readonly comments: CommentReader;
  readonly clock: Clock;
  /** Most comments one `live` document carries. */
  readonly liveLimit: number;
  /** Channel bans and blocks (cached like rooms). Without it, only room-scope moderation applies. */
  readonly moderation?: Pick<ModerationReader, 'channel'>;
  /** Closed segments below the room's `archivedThrough` are read from here (ADR 0037). Without it, from the table. */
  readonly archive?: Pick<SegmentArchive, 'get'>;
}

export interface LiveDocument {
  readonly room: PublicRoom;
  /**
   * What this document covers (ADR 0019): every item with id time from `from`
   * up to `settledUntil` (unless `truncated`), and possibly some later ones.
   * Documents of consecutive ticks overlap, so a viewer that polls every tick
   * misses nothing; when `from` of the next is after `settledUntil` of the
   * last one received, the segments hold the gap.
   */
  readonly window: {
    /** This document's tick: floor(server time ms ÷ pollAfterMs) when it was asked for. */
    readonly tick: number;
    readonly from: string;
    readonly settledUntil: string;
  };
  readonly segment: {
    /** The segment being written now (backfill reads segments). */
    readonly current: number;
    readonly lengthSeconds: number;
  };
  /**
   * Oldest first: comments, artist messages and notices (this room's and every room's), not deleted;
   * each with `vpos`, its offset from the event's start (ADR 0040).
   */
  readonly comments: FeedItem[];
  /** Deletions in the window: clients remove these ids from what they show. */
  readonly tombstones: TombstoneView[];
  /** True when the window held more than the limit: the oldest were left out; read segments for them. */
  readonly truncated: boolean;
  /**
   * Users banned now, from the room (`scope: room`) or from its channel
   * (`scope: channel`: a channel ban or the broadcaster's block): clients hide
   * their comments and refuse their posts in the UI.
   */
  readonly bans: ViewerBan[];
  /** Purged users: clients drop each one's comments created at or before `before`. */
  readonly purges: PurgeView[];
  /** The poll interval P: tick t + 1 starts at (t + 1) × pollAfterMs, server time. */
  readonly pollAfterMs: number;
  readonly generatedAt: string;
}

/** A tick's document. */
export interface LiveTick {
  readonly document: LiveDocument;
  /** When the tick expires: a cache may keep the document until then. */
  readonly expiresAtMs: number;
}

export interface SegmentDocument {
  readonly roomId: string;
  readonly segment: number;
  readonly startsAt: string;
  readonly endsAt: string;
  /** Closed: no comment can be added any more (deletions may still remove some). */
  readonly closed: boolean;
  /** Oldest first, merged across every shard and the global feed; deleted items left out; each with `vpos`. */
  readonly comments: FeedItem[];
  /** Deletions that happened during this segment. */
  readonly tombstones: TombstoneView[];
}

/** A segment's items as stored (the table's records, the archived object): no `vpos` yet. */
export type SegmentContent = Pick<ArchivedSegment, 'comments' | 'tombstones'>;

export interface TombstoneView {
  readonly commentId: string;
  readonly deletedAt: string;
}

const byIdAscending = ascendingBy<FeedRecord>((c) => c.id);
const byIdDescending = descendingBy<FeedRecord>((c) => c.id);

/**
 * What a segment holds before any viewer-time filter — its visible items (deleted ones left out)
 * and its deletions — from feed records oldest first. The archive stores exactly this (ADR 0037).
 */
function segmentContent(records: readonly FeedRecord[]): SegmentContent {
  return {
    comments: records.filter(isVisible).map(publicItem),
    tombstones: records
      .filter(isTombstone)
      .map(({ commentId, deletedAt }: Tombstone) => ({ commentId, deletedAt })),
  };
}

/**
 * What viewers see of a segment's content: comments of users banned now (room or channel) and
 * purged comments are hidden, and with `cutoffId` (the channel plan's view cutoff, ADR 0038)
 * every item and tombstone below it. Each item gets its offset from the room's event start
 * (`vpos`, ADR 0040), computed now, so a corrected start re-times archived segments too.
 */
function forViewers(
  content: SegmentContent,
  room: Room,
  channel: ChannelModeration | undefined,
  nowMs: number,
  cutoffId?: string,
): { comments: FeedItem[]; tombstones: TombstoneView[] } {
  const banned = new Set(viewerBans(room, channel, nowMs).map((b) => b.userId));
  const visible = (id: string) => cutoffId === undefined || id >= cutoffId;
  const startMs = eventStartMs(room);
  return {
    comments: content.comments
      .filter(
        (item) =>
          visible(item.id) &&
          (item.kind !== 'comment' || !banned.has(item.userId)) &&
          !isPurged(item, room.purges),
      )
      .map((item) => presentItem(item, startMs)),
    tombstones: content.tombstones.filter((t) => visible(t.commentId)),
  };
}

/** `live`'s view of feed records: no view cutoff (`live` is not limited). */
function present(
  records: readonly FeedRecord[],
  room: Room,
  channel: ChannelModeration | undefined,
  nowMs: number,
): { comments: FeedItem[]; tombstones: TombstoneView[] } {
  return forViewers(segmentContent(records), room, channel, nowMs);
}

async function findRoom(rooms: RoomReader, roomId: string): Promise<Room> {
  const room = await rooms.get(roomId);
  if (!room) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  return room;
}

const channelOf = (deps: ReadFeedDeps, room: Room) => deps.moderation?.channel(room.channelId);

export async function getRoom(deps: Pick<ReadFeedDeps, 'rooms' | 'clock'>, roomId: string) {
  const room = await findRoom(deps.rooms, roomId);
  return {
    room: publicRoom(room),
    currentSegment: segmentOf(deps.clock(), room.settings.segmentSeconds),
    // Where `vpos` counts from (ADR 0040): replay maps media time to wall time with it.
    eventStartsAt: new Date(eventStartMs(room)).toISOString(),
  };
}

/** `live`: the current tick's document (ADR 0019), for first loads and simple clients. */
export async function getLive(deps: ReadFeedDeps, roomId: string): Promise<LiveDocument> {
  const room = await findRoom(deps.rooms, roomId);
  const nowMs = deps.clock();
  return liveDocument(deps, room, tickOf(nowMs, pollMsOf(room)), nowMs);
}

/**
 * `live/{tick}`: the document of one tick (ADR 0019), what players poll.
 * Ticks the origin does not answer are refused before any comment is read.
 */
export async function getLiveTick(deps: ReadFeedDeps, roomId: string, rawTick: string): Promise<LiveTick> {
  const tick = parseTick(rawTick);
  const room = await findRoom(deps.rooms, roomId);
  const nowMs = deps.clock();
  const pollMs = pollMsOf(room);
  const refusal = tickRefusal(tick, nowMs, pollMs);
  if (refusal) throw refusal;
  return {
    document: await liveDocument(deps, room, tick, nowMs),
    expiresAtMs: tickExpiresAtMs(tick, pollMs),
  };
}

const pollMsOf = (room: Room) => room.settings.pollIntervalSeconds * 1000;

/**
 * The newest items of a tick's window, merged newest-first across shards and
 * the global feed, cut at the limit, presented oldest first.
 */
async function liveDocument(
  deps: ReadFeedDeps,
  room: Room,
  tick: number,
  nowMs: number,
): Promise<LiveDocument> {
  const { segmentSeconds } = room.settings;
  const pollMs = pollMsOf(room);
  const window = liveWindow(tick, pollMs, nowMs);
  const fromId = lowestIdAt(window.fromMs);
  // One more than the limit from each shard tells whether the window was cut.
  // The global feed (notices to every room) merges in like one more shard.
  const [perShard, global, channel] = await Promise.all([
    deps.comments.newest(room.roomId, room.shards.read, fromId, deps.liveLimit + 1),
    deps.comments.newest(GLOBAL_ROOM_ID, 1, fromId, deps.liveLimit + 1),
    channelOf(deps, room),
  ]);
  const newest = mergeSorted([...perShard, ...global], byIdDescending, deps.liveLimit + 1);
  return {
    room: publicRoom(room),
    window: {
      tick,
      from: new Date(window.fromMs).toISOString(),
      settledUntil: new Date(window.settledUntilMs).toISOString(),
    },
    segment: { current: segmentOf(nowMs, segmentSeconds), lengthSeconds: segmentSeconds },
    ...present(newest.slice(0, deps.liveLimit).reverse(), room, channel, nowMs),
    truncated: newest.length > deps.liveLimit,
    bans: viewerBans(room, channel, nowMs),
    purges: purgeViews(room),
    pollAfterMs: pollMs,
    generatedAt: new Date(nowMs).toISOString(),
  };
}

export type SegmentResult =
  | {
      readonly state: Exclude<SegmentState, 'future'>;
      readonly document: SegmentDocument;
      readonly room: Room;
    }
  | { readonly state: 'future'; readonly startsInMs: number };

/** Every comment of segment `n`, in id order across all shards. Future segments are refused without a read. */
export async function getSegment(deps: ReadFeedDeps, roomId: string, rawN: string): Promise<SegmentResult> {
  if (!PATH_NUMBER.test(rawN)) {
    throw new BadRequestError('invalid_segment', 'A segment number is a non-negative integer.');
  }
  const n = Number(rawN);
  const room = await findRoom(deps.rooms, roomId);
  const { segmentSeconds } = room.settings;
  const nowMs = deps.clock();
  const state = segmentState(n, nowMs, segmentSeconds);
  const { startMs, endMs } = segmentBounds(n, segmentSeconds);
  if (state === 'future') return { state, startsInMs: startMs - nowMs };
  if (n < segmentOf(Date.parse(room.createdAt), segmentSeconds)) {
    throw new NotFoundError('segment_before_room', `Segment ${n} ends before room ${roomId} was created.`);
  }

  const archived = deps.archive && room.archivedThrough !== undefined && n < room.archivedThrough;
  const [content, channel] = await Promise.all([
    archived ? archivedContent(deps.archive!, roomId, n) : tableContent(deps, room, startMs, endMs),
    channelOf(deps, room),
  ]);
  return {
    state,
    room,
    document: {
      roomId,
      segment: n,
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(endMs).toISOString(),
      closed: state === 'closed',
      ...forViewers(content, room, channel, nowMs, room.viewCutoff?.id),
    },
  };
}

/** A segment's items read from the table: every shard and the global feed, merged by id. */
export async function tableContent(
  deps: Pick<ReadFeedDeps, 'comments'>,
  room: Pick<Room, 'roomId' | 'shards'>,
  startMs: number,
  endMs: number,
): Promise<SegmentContent> {
  const [fromId, toId] = [lowestIdAt(startMs), highestIdAt(endMs - 1)];
  const [perShard, global] = await Promise.all([
    deps.comments.range(room.roomId, room.shards.read, fromId, toId),
    deps.comments.range(GLOBAL_ROOM_ID, 1, fromId, toId),
  ]);
  return segmentContent(mergeSorted([...perShard, ...global], byIdAscending));
}

/** An archived segment's content; a segment in the archived range without an object was empty. */
async function archivedContent(
  archive: Pick<SegmentArchive, 'get'>,
  roomId: string,
  n: number,
): Promise<Pick<ArchivedSegment, 'comments' | 'tombstones'>> {
  const document = await archive.get(roomId, n);
  return document ?? { comments: [], tombstones: [] };
}
