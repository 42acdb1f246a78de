/**
 * Whether a room's `live` documents hold its peak comment rate (ADR 0035). A
 * document made as its tick starts covers P + 1.5 s (`liveSpanMs`) and carries
 * at most `LIVE_COMMENT_LIMIT` items; past that it says `truncated`, and every
 * viewer's player reads segments for the rest on each poll — requests that grow
 * with the comment rate, which the poll design exists to avoid.
 */
import { liveSpanMs, MAX_LIVE_COMMENT_LIMIT } from '../feed/ticks.js';
import type { AssumptionValues } from './assumptions.js';
import { MAX_POLL_INTERVAL_SECONDS } from './poll-interval.js';
import type { RoomLoad } from './room-load.js';
import { atMost, round3, roundUp } from './rounding.js';
import { formatNumber, type QuotaWarning } from './warnings.js';

/** Items a document made as its tick starts would hold at `itemsPerSecond`, before the limit cuts it. */
export function itemsPerLiveDocument(itemsPerSecond: number, pollSeconds: number): number {
  return (itemsPerSecond * liveSpanMs(pollSeconds * 1000)) / 1000;
}

/** The largest whole poll interval (1–60 s) whose documents hold at most `maxItems`; undefined if not even 1 s does. */
export function largestFittingPoll(itemsPerSecond: number, maxItems: number): number | undefined {
  for (let seconds = MAX_POLL_INTERVAL_SECONDS; seconds >= 1; seconds--) {
    if (atMost(itemsPerLiveDocument(itemsPerSecond, seconds), maxItems)) return seconds;
  }
  return undefined;
}

/**
 * One room's warning at its peak post rate and its effective poll interval
 * (after the plan's CloudFront floor, which lengthens documents): `warning`
 * when documents would be truncated, `info` above the plan's safe share of the
 * limit. The advice aims at the limit for a `warning`, at the safe share for an
 * `info`: the largest poll interval that fits, or the `LIVE_COMMENT_LIMIT` that would.
 */
export function liveDocumentWarning(
  load: RoomLoad,
  pollSeconds: number,
  liveCommentLimit: number,
  a: AssumptionValues,
): QuotaWarning[] {
  const { room, postsPerSecond } = load;
  const items = itemsPerLiveDocument(postsPerSecond, pollSeconds);
  // quotaLevel's rule, compared as the advice compares (atMost), so what it suggests never warns again.
  const level = !atMost(items, liveCommentLimit)
    ? 'warning'
    : !atMost(items, liveCommentLimit * a.quotaSafetyFactor)
      ? 'info'
      : undefined;
  if (!level) return [];

  const planned = round3(items);
  const share = level === 'warning' ? 1 : a.quotaSafetyFactor;
  const fitUnder = liveCommentLimit * share;
  const spanSeconds = liveSpanMs(pollSeconds * 1000) / 1000;
  const floorRaised = pollSeconds > room.pollIntervalSeconds;
  const raised = floorRaised
    ? ` (raised from ${room.pollIntervalSeconds} s by the plan's poll floor for CloudFront)`
    : '';
  const what =
    `Room "${room.roomId}" would put about ${formatNumber(planned)} comments in each \`live\` document ` +
    `(${formatNumber(postsPerSecond)}/s at its peak × ${formatNumber(spanSeconds)} s: a ${pollSeconds} s poll${raised} ` +
    `+ 1.5 s) against LIVE_COMMENT_LIMIT ${formatNumber(liveCommentLimit)}`;
  const consequence =
    level === 'warning'
      ? `: documents would be truncated, so every viewer's player would also read about one segment on each ` +
        `poll — about ${formatNumber(Math.round(room.expectedViewers / pollSeconds))} more CloudFront requests/s ` +
        `(billed per request) and more segment calls at the origin, growing with the comment rate.`
      : `, above the ${formatNumber(fitUnder)} the plan allows (${formatNumber(a.quotaSafetyFactor * 100)}%): ` +
        `a burst above the planned peak would truncate documents, and every viewer's player would then ` +
        `read segments on each poll.`;
  return [
    {
      level,
      code: 'live_document_truncated',
      roomId: room.roomId,
      limit: liveCommentLimit,
      planned,
      message: `${what}${consequence} ${advice({
        itemsPerSecond: postsPerSecond,
        items,
        raised: floorRaised,
        fitUnder,
        share,
      })}`,
      fromMs: load.windowFromMs,
      toMs: load.windowToMs,
    },
  ];
}

function advice(fit: {
  readonly itemsPerSecond: number;
  /** Items per document at the room's interval. */
  readonly items: number;
  /** Whether the plan's CloudFront floor set the interval: a faster poll then needs that quota raised. */
  readonly raised: boolean;
  readonly fitUnder: number;
  readonly share: number;
}): string {
  const { itemsPerSecond, items, raised, fitUnder, share } = fit;
  // The limit that would hold documents within the same share: at this interval, or at 1 s.
  const limitFor = (documentItems: number) => {
    const limit = roundUp(documentItems / share);
    return limit <= MAX_LIVE_COMMENT_LIMIT ? limit : undefined;
  };
  const raiseTo = (limit: number) =>
    `raise LIVE_COMMENT_LIMIT to ${formatNumber(limit)} (cdk deploy -c liveCommentLimit=${limit}; at most ${formatNumber(MAX_LIVE_COMMENT_LIMIT)}; documents grow)`;
  const poll = largestFittingPoll(itemsPerSecond, fitUnder);
  const limit = limitFor(items);
  if (poll !== undefined) {
    const faster = `Poll every ${poll} s or less${raised ? ' (under the CloudFront floor: ask AWS to raise that quota too)' : ''}`;
    return limit === undefined ? `${faster}.` : `${faster}, or ${raiseTo(limit)}.`;
  }
  const atOne = itemsPerLiveDocument(itemsPerSecond, 1);
  const none = `No poll interval fits: even 1 s polls would put ${formatNumber(atOne)} comments in a document`;
  if (limit !== undefined) return `${none}. ${capitalize(raiseTo(limit))}.`;
  const limitAtOne = limitFor(atOne);
  if (limitAtOne !== undefined) return `${none}: poll every 1 s and ${raiseTo(limitAtOne)}.`;
  return (
    `${none}, more than LIVE_COMMENT_LIMIT's maximum of ${formatNumber(MAX_LIVE_COMMENT_LIMIT)} holds: ` +
    `turn on slow mode or lower the expected comment rate.`
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
