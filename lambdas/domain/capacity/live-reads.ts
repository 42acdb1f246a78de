/**
 * What one `live` origin call reads (ADR 0019): each shard's items of one
 * tick's window, newest first up to the limit, plus the global feed's query.
 * The capacity plan and the cost model both size reads with it.
 */
import { DEFAULT_LIVE_COMMENT_LIMIT, liveSpanMs } from '../feed/ticks.js';
import { LIMITS, READ_UNIT_BYTES, type AssumptionValues } from './assumptions.js';

/**
 * Read units of one origin `live` call in a room receiving `itemsPerSecond`
 * over `shards`: per shard, the window's items (at most the limit + 1) ×
 * `commentItemBytes`, rounded up to 4 KB at half a unit (at least one block
 * per query); plus the global feed's query, one block (notices are rare).
 * The window is the span a tick's document covers when made as its tick
 * starts (P + 1.5 s).
 */
export function liveReadUnitsPerOriginCall(
  room: {
    readonly itemsPerSecond: number;
    readonly pollSeconds: number;
    readonly shards: number;
    /** `LIVE_COMMENT_LIMIT`; DEFAULT_LIVE_COMMENT_LIMIT when not given. */
    readonly liveCommentLimit?: number;
  },
  a: Pick<AssumptionValues, 'commentItemBytes'>,
): number {
  const perBlock = LIMITS.eventuallyConsistentReadUnitsPer4Kb.value;
  const spanSeconds = liveSpanMs(room.pollSeconds * 1000) / 1000;
  const itemsPerShard = Math.min(
    (room.liveCommentLimit ?? DEFAULT_LIVE_COMMENT_LIMIT) + 1,
    (room.itemsPerSecond * spanSeconds) / room.shards,
  );
  const blocksPerShard = Math.max(1, Math.ceil((itemsPerShard * a.commentItemBytes) / READ_UNIT_BYTES));
  return (room.shards * blocksPerShard + 1) * perBlock;
}
