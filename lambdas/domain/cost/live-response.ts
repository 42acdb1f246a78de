/**
 * The size of one `live` response as CloudFront sends it (ADR 0019): a fixed
 * part plus a part per item, from the benchmark's fitted coefficients
 * (`liveDocumentOverheadBytes`, `liveBytesPerComment` in the capacity plan's
 * assumptions), for a document made as its tick starts (P + 1.5 s of items).
 */
import type { AssumptionValues } from '../capacity/assumptions.js';
import { BYTES_PER_KB } from './coefficients.js';
import { DEFAULT_LIVE_COMMENT_LIMIT, liveSpanMs } from '../feed/ticks.js';

/** Response bytes = `fixedBytes` + `bytesPerItemPerSecond` × the room's items per second (below the limit). */
export interface LiveResponseSize {
  readonly fixedBytes: number;
  readonly bytesPerItemPerSecond: number;
  /** Above this many items per second the document is cut at the limit. */
  readonly maxItemsPerSecond: number;
}

export function liveResponseSize(
  pollSeconds: number,
  a: Pick<AssumptionValues, 'liveDocumentOverheadBytes' | 'liveBytesPerComment'>,
): LiveResponseSize {
  const spanSeconds = liveSpanMs(pollSeconds * 1000) / 1000;
  return {
    fixedBytes: a.liveDocumentOverheadBytes,
    bytesPerItemPerSecond: a.liveBytesPerComment * spanSeconds,
    maxItemsPerSecond: DEFAULT_LIVE_COMMENT_LIMIT / spanSeconds,
  };
}

export function liveResponseBytes(size: LiveResponseSize, itemsPerSecond: number): number {
  return size.fixedBytes + size.bytesPerItemPerSecond * Math.min(itemsPerSecond, size.maxItemsPerSecond);
}

/** Items a room's documents carry per second: comments and artist messages. */
export function itemsPerSecond(event: {
  readonly commentsPerSecond: number;
  readonly artistMessagesPerMinute: number;
}): number {
  return event.commentsPerSecond + event.artistMessagesPerMinute / 60;
}

/** An event's response size: the measured one, or a fixed size when the input names one (`responseKb`). */
export function responseModel(
  event: { readonly pollSeconds: number; readonly responseKb?: number | undefined },
  a: Pick<AssumptionValues, 'liveDocumentOverheadBytes' | 'liveBytesPerComment'>,
): LiveResponseSize {
  return event.responseKb === undefined
    ? liveResponseSize(event.pollSeconds, a)
    : { fixedBytes: event.responseKb * BYTES_PER_KB, bytesPerItemPerSecond: 0, maxItemsPerSecond: 0 };
}
