import { decodeTime, encodeTime, isValid, monotonicFactory } from 'ulid';

/** Comment ids are ULIDs: time-sortable, so a time range is a key range. */
const nextUlid = monotonicFactory();

/** A new comment id for `nowMs`, strictly increasing within this process. */
export function newCommentId(nowMs: number): string {
  return nextUlid(nowMs);
}

/** The millisecond timestamp encoded in a comment id. */
export function commentIdTime(id: string): number {
  return decodeTime(id);
}

export function isCommentId(id: string): boolean {
  return isValid(id);
}

/** The smallest id a comment created at `ms` can have. */
export function lowestIdAt(ms: number): string {
  return encodeTime(ms) + '0'.repeat(16);
}

/** The largest id a comment created at `ms` can have. */
export function highestIdAt(ms: number): string {
  return encodeTime(ms) + 'Z'.repeat(16);
}
