import type { Clock } from '../clock.js';
import type { EdgeInvalidator } from '../feed/ports.js';
import { highestIdAt, lowestIdAt } from '../feed/ids.js';
import { allSegmentsPath, GLOBAL_ROOM_ID } from '../paths.js';
import type { RoomCutoffWriter, RoomLister } from '../rooms/ports.js';
import type { Room } from '../rooms/room.js';
import type { LimitJob } from './job.js';
import { mergeNewest, type ItemStream } from './merge.js';
import type { CutoffRun, PlanStore, RoomCutoff } from './plans.js';
import type { CommentStreams, PageSizes } from './ports.js';

export interface CutoffDeps {
  readonly plans: Pick<PlanStore, 'get' | 'recordRun'>;
  /** Uncached: the cutoffs each room has now decide which ones change. */
  readonly rooms: RoomLister & RoomCutoffWriter;
  readonly comments: CommentStreams;
  /** Drops CDN copies of the segments of rooms whose cutoff moved. */
  readonly edge?: EdgeInvalidator;
  readonly onInvalidateFailed?: (paths: readonly string[], error: unknown) => void;
  readonly clock: Clock;
  /** The largest page of a room shard's query. Default 500. */
  readonly pageSize?: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_PAGE_SIZE = 500;
/** Rooms per listing page (one batch read of the rooms). */
const ROOM_PAGE = 100;
/** Cutoff writes in flight at once. */
const WRITE_CONCURRENCY = 10;
/** CloudFront takes at most 15 wildcard paths in progress at a time. */
const INVALIDATION_PATHS = 15;
/** Computations in one call when the plan keeps changing under it; then the job fails and is retried. */
const ATTEMPTS = 3;

/**
 * Computes one channel's view-limit cutoffs (ADR 0038) and writes them on its rooms:
 * 1. read the plan and list the channel's rooms;
 * 2. no plan: remove every cutoff, so nothing stays hidden;
 * 3. else merge the rooms' shard streams newest first over the last D days, stopping at N
 *    visible items, and give each room the oldest item it contributed (a room that contributed
 *    nothing hides everything before now; fewer than N in all: the window's start everywhere);
 * 4. write the cutoffs that moved, invalidate those rooms' segments, keep the run on the plan.
 * A plan that changed meanwhile makes it compute again. Throws on failure (the queue retries).
 */
export async function computeChannelCutoffs(deps: CutoffDeps, job: LimitJob): Promise<CutoffRun> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.plans.get(job.channelId);
    const run = stored
      ? await computeOnce(deps, job, stored.version, stored.plan)
      : await clearCutoffs(deps, job);
    const settled = stored
      ? (await deps.plans.recordRun(job.channelId, run)) === 'recorded'
      : (await deps.plans.get(job.channelId)) === undefined;
    if (settled) return run;
    if (attempt >= ATTEMPTS) {
      throw new Error(
        `The plan of channel ${job.channelId} changed during each of ${ATTEMPTS} computations.`,
      );
    }
  }
}

async function computeOnce(
  deps: CutoffDeps,
  job: LimitJob,
  planVersion: number,
  plan: { readonly maxComments: number; readonly days: number },
): Promise<CutoffRun> {
  const startedMs = deps.clock();
  const rooms = await channelRooms(deps.rooms, job.channelId);
  const fromId = lowestIdAt(startedMs - plan.days * DAY_MS);
  const toId = highestIdAt(startedMs);
  const streamCount = rooms.reduce((sum, room) => sum + room.shards.read, 0);
  const pages = firstPages(plan.maxComments, streamCount, deps.pageSize ?? DEFAULT_PAGE_SIZE);

  let readUnits = 0;
  const streams: { roomIndex: number; stream: ItemStream }[] = rooms.flatMap((room, roomIndex) =>
    Array.from({ length: room.shards.read }, (_, shard) => ({
      roomIndex,
      stream: (async function* () {
        for await (const page of deps.comments.descending(room.roomId, shard, fromId, toId, pages)) {
          readUnits += page.readUnits;
          yield page.items;
        }
      })(),
    })),
  );
  const merged = await mergeNewest(
    streams.map((s) => s.stream),
    plan.maxComments,
  );

  // Per room: its visible items taken and the oldest of them, over its shards.
  const perRoom = rooms.map(() => ({ taken: 0, oldestId: undefined as string | undefined }));
  merged.streams.forEach((take, i) => {
    const room = perRoom[streams[i]!.roomIndex]!;
    room.taken += take.taken;
    if (take.oldestId !== undefined && (room.oldestId === undefined || take.oldestId < room.oldestId)) {
      room.oldestId = take.oldestId;
    }
  });
  const cutoffOf = (i: number): string =>
    merged.exhausted ? fromId : (perRoom[i]!.oldestId ?? lowestIdAt(startedMs));

  const computedAt = new Date(startedMs).toISOString();
  const cutoffs = await writeCutoffs(
    deps,
    rooms,
    (_, i) => cutoffOf(i),
    (_, i) => perRoom[i]!.taken,
    computedAt,
  );
  await invalidate(deps, cutoffs, `view-limits-${job.channelId}-${startedMs}`);
  return {
    ...runTimes(deps, job, startedMs),
    outcome: 'computed',
    planVersion,
    maxComments: plan.maxComments,
    days: plan.days,
    commentsRead: merged.read,
    readUnits,
    taken: merged.taken,
    cutoffs,
  };
}

/** No plan: every room of the channel loses its cutoff. */
async function clearCutoffs(deps: CutoffDeps, job: LimitJob): Promise<CutoffRun> {
  const startedMs = deps.clock();
  const rooms = await channelRooms(deps.rooms, job.channelId);
  const cutoffs = await writeCutoffs(
    deps,
    rooms,
    () => null,
    () => 0,
    new Date(startedMs).toISOString(),
  );
  await invalidate(deps, cutoffs, `view-limits-${job.channelId}-${startedMs}`);
  return {
    ...runTimes(deps, job, startedMs),
    outcome: 'cleared',
    commentsRead: 0,
    readUnits: 0,
    taken: 0,
    cutoffs,
  };
}

/**
 * Page sizes: the first page of each stream is its even share of N and one more (the next head),
 * then pages double up to `max`. Every stream's first page is read before anything is taken, so
 * with full pages a small N would read streams × max records; this way it reads about N, and a
 * stream holding most of the N reaches full pages in a few queries.
 */
export function firstPages(maxComments: number, streams: number, max: number): PageSizes {
  return { first: Math.min(max, Math.ceil(maxComments / Math.max(1, streams)) + 1), max };
}

/** Every room of the channel (the listing pages through them; the global room is no channel's). */
async function channelRooms(rooms: RoomLister, channelId: string): Promise<Room[]> {
  const out: Room[] = [];
  const channelIds = new Set([channelId]);
  let cursor: string | undefined;
  do {
    const page = await rooms.list({ channelIds, limit: ROOM_PAGE, ...(cursor ? { cursor } : {}) });
    out.push(...page.rooms.filter((room) => room.roomId !== GLOBAL_ROOM_ID && room.channelId === channelId));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Writes the cutoffs that moved, a few at a time; the rest are left as they are. */
async function writeCutoffs(
  deps: CutoffDeps,
  rooms: readonly Room[],
  cutoffOf: (room: Room, i: number) => string | null,
  takenOf: (room: Room, i: number) => number,
  computedAt: string,
): Promise<RoomCutoff[]> {
  const out = rooms.map((room, i): RoomCutoff => {
    const cutoff = cutoffOf(room, i);
    return {
      roomId: room.roomId,
      cutoff,
      taken: takenOf(room, i),
      changed: (room.viewCutoff?.id ?? null) !== cutoff,
    };
  });
  const changed = out.filter((c) => c.changed);
  for (let i = 0; i < changed.length; i += WRITE_CONCURRENCY) {
    await Promise.all(
      changed
        .slice(i, i + WRITE_CONCURRENCY)
        .map((c) =>
          deps.rooms.setViewCutoff(c.roomId, c.cutoff === null ? undefined : { id: c.cutoff, computedAt }),
        ),
    );
  }
  return out;
}

/** A failed invalidation is reported, not thrown: the cutoffs are stored and cached copies expire. */
async function invalidate(deps: CutoffDeps, cutoffs: readonly RoomCutoff[], reference: string) {
  if (!deps.edge) return;
  const paths = cutoffs.filter((c) => c.changed).map((c) => allSegmentsPath(c.roomId));
  for (let i = 0; i < paths.length; i += INVALIDATION_PATHS) {
    const batch = paths.slice(i, i + INVALIDATION_PATHS);
    try {
      await deps.edge.invalidate(batch, `${reference}-${i / INVALIDATION_PATHS}`);
    } catch (error) {
      deps.onInvalidateFailed?.(batch, error);
    }
  }
}

function runTimes(deps: CutoffDeps, job: LimitJob, startedMs: number) {
  const finishedMs = Math.max(startedMs, deps.clock());
  return {
    channelId: job.channelId,
    reason: job.reason,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
    durationMs: Math.round(finishedMs - startedMs),
  };
}
