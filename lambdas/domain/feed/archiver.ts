/**
 * The archiver (ADR 0037): copies each room's closed segments from the table to the archive, one
 * object per non-empty segment, and then moves the room's `archivedThrough` watermark past them.
 * Segments below the watermark are served from the archive, so their items may expire from the
 * table. Runs on a schedule; every step is safe to repeat.
 */
import type { Clock } from '../clock.js';
import type { Room } from '../rooms/room.js';
import type { ArchiveWatermark, RoomLister } from '../rooms/ports.js';
import type { ArchivedSegment, CommentReader, SegmentArchive } from './ports.js';
import { commentIdTime } from './ids.js';
import { tableContent } from './read-feed.js';
import { SEGMENT_CLOSE_GRACE_MS, segmentBounds, segmentOf } from './segments.js';

/**
 * Segments read with one range query per shard. A step's items are held in memory at once: 30
 * segments of 10 s at 50 comments/s is 15,000 items (a few MB).
 */
const ARCHIVE_STEP_SEGMENTS = 30;
/**
 * Most segments one run archives per room: a backlog (a room older than the archive) is worked
 * off over several runs instead of one run outlasting the function's timeout. 2,880 segments are
 * 8 hours at 10 s.
 */
export const ARCHIVE_SEGMENTS_PER_RUN = 2_880;
/** Rooms listed per page. */
const ROOM_PAGE = 100;

export interface ArchiverDeps {
  readonly rooms: RoomLister & ArchiveWatermark;
  readonly comments: CommentReader;
  readonly archive: SegmentArchive;
  readonly clock: Clock;
  /** @default ARCHIVE_STEP_SEGMENTS */
  readonly stepSegments?: number;
  /** @default ARCHIVE_SEGMENTS_PER_RUN */
  readonly segmentsPerRun?: number;
}

/** The segments `[from, to)` of one step. */
export interface ArchiveStep {
  readonly from: number;
  readonly to: number;
}

/** What a run did, for its log line. */
export interface ArchiveRun {
  readonly rooms: number;
  /** Segments the watermarks moved past. */
  readonly segments: number;
  /** Objects written (non-empty segments, and rewrites after a deletion during the step). */
  readonly objects: number;
  /** Rooms whose watermark another run moved first (this one stopped there). */
  readonly stale: number;
}

/** The first segment past the newest closed one: a segment is closed once its grace has passed. */
export function closedBefore(nowMs: number, segmentSeconds: number): number {
  return segmentOf(nowMs - SEGMENT_CLOSE_GRACE_MS, segmentSeconds);
}

/**
 * The steps that archive a room's unarchived closed segments: from its watermark (or its first
 * segment) up to the newest closed one, at most `segmentsPerRun` segments in steps of
 * `stepSegments`. Empty when nothing is due.
 */
export function planArchive(
  room: Pick<Room, 'archivedThrough' | 'createdAt' | 'settings'>,
  nowMs: number,
  stepSegments: number = ARCHIVE_STEP_SEGMENTS,
  segmentsPerRun: number = ARCHIVE_SEGMENTS_PER_RUN,
): ArchiveStep[] {
  const { segmentSeconds } = room.settings;
  const start = room.archivedThrough ?? segmentOf(Date.parse(room.createdAt), segmentSeconds);
  const end = Math.min(closedBefore(nowMs, segmentSeconds), start + segmentsPerRun);
  const steps: ArchiveStep[] = [];
  for (let from = start; from < end; from += stepSegments) {
    steps.push({ from, to: Math.min(from + stepSegments, end) });
  }
  return steps;
}

/** Archives every room's due segments; rooms one after another, so one run's load stays flat. */
export async function runArchiver(deps: ArchiverDeps): Promise<ArchiveRun> {
  let totals: ArchiveRun = { rooms: 0, segments: 0, objects: 0, stale: 0 };
  let cursor: string | undefined;
  do {
    const page = await deps.rooms.list({ limit: ROOM_PAGE, ...(cursor ? { cursor } : {}) });
    for (const room of page.rooms) {
      const done = await archiveRoom(deps, room);
      totals = {
        rooms: totals.rooms + 1,
        segments: totals.segments + done.segments,
        objects: totals.objects + done.objects,
        stale: totals.stale + (done.stale ? 1 : 0),
      };
    }
    cursor = page.nextCursor;
  } while (cursor);
  return totals;
}

/**
 * One room's due segments, step by step: read the step's items, write one object per non-empty
 * segment, read again and rewrite any segment a deletion changed in between (a deletion that
 * looked for the object before it was written), then move the watermark with a conditional
 * write. A repeated step writes the same objects; a stale watermark ends the room's turn.
 */
export async function archiveRoom(
  deps: ArchiverDeps,
  room: Room,
): Promise<{ segments: number; objects: number; stale: boolean }> {
  const steps = planArchive(room, deps.clock(), deps.stepSegments, deps.segmentsPerRun);
  let watermark = room.archivedThrough;
  let segments = 0;
  let objects = 0;
  for (const step of steps) {
    const first = await readStep(deps, room, step);
    for (const document of first.values()) await deps.archive.put(room.roomId, document.segment, document);
    objects += first.size;
    const again = await readStep(deps, room, step);
    for (const [n, document] of again) {
      if (sameItems(first.get(n), document)) continue;
      await deps.archive.put(room.roomId, n, document);
      objects++;
    }
    // Every item of a segment deleted in between: the object is rewritten empty.
    for (const [n, document] of first) {
      if (again.has(n)) continue;
      await deps.archive.put(room.roomId, n, { ...document, comments: [], tombstones: [] });
      objects++;
    }
    const outcome = await deps.rooms.setArchivedThrough(room.roomId, watermark, step.to);
    if (outcome !== 'set') return { segments, objects, stale: outcome === 'stale' };
    segments += step.to - (watermark ?? step.from);
    watermark = step.to;
  }
  return { segments, objects, stale: false };
}

/** The step's non-empty segments as archived documents, by segment number. */
async function readStep(
  deps: ArchiverDeps,
  room: Room,
  step: ArchiveStep,
): Promise<Map<number, ArchivedSegment>> {
  const { segmentSeconds } = room.settings;
  const startMs = segmentBounds(step.from, segmentSeconds).startMs;
  const endMs = segmentBounds(step.to - 1, segmentSeconds).endMs;
  const content = await tableContent(deps, room, startMs, endMs);
  const documents = new Map<number, ArchivedSegment>();
  const documentOf = (n: number): ArchivedSegment => {
    let document = documents.get(n);
    if (!document) {
      const bounds = segmentBounds(n, segmentSeconds);
      document = {
        roomId: room.roomId,
        segment: n,
        startsAt: new Date(bounds.startMs).toISOString(),
        endsAt: new Date(bounds.endMs).toISOString(),
        closed: true,
        comments: [],
        tombstones: [],
      };
      documents.set(n, document);
    }
    return document;
  };
  for (const item of content.comments) {
    documentOf(segmentOf(commentIdTime(item.id), segmentSeconds)).comments.push(item);
  }
  for (const tombstone of content.tombstones) {
    documentOf(segmentOf(Date.parse(tombstone.deletedAt), segmentSeconds)).tombstones.push(tombstone);
  }
  return documents;
}

const sameItems = (a: ArchivedSegment | undefined, b: ArchivedSegment) =>
  a !== undefined &&
  a.comments.length === b.comments.length &&
  a.tombstones.length === b.tombstones.length &&
  a.comments.every((item, i) => item.id === b.comments[i]!.id) &&
  a.tombstones.every((t, i) => t.commentId === b.tombstones[i]!.commentId);
