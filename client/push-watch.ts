/**
 * Finds a half-failed subscription at no extra cost (the LINE write-up's
 * self-ping, without the ping): every event pushed is also on the poll path,
 * so an event the poll shows that the push never delivered, while the
 * subscription was up when it happened, means the socket is alive but the
 * subscription is not being fed.
 *
 * Events are matched by key: `item <id>` for artist messages and notices,
 * `delete <commentId>` for deletions.
 */
export class PushWatch {
  private readonly pushed = new Set<string>();
  /** Keys the poll showed and the push has not delivered yet, with the time they are overdue. */
  private readonly pending = new Map<string, number>();
  private subscribedSinceMs: number | undefined;

  constructor(
    /** How long after an event's time its push may still arrive. */
    private readonly graceMs: number,
    private readonly capacity = 1_000,
  ) {}

  /** The subscription is up since `atMs` (undefined: down). Only events after that are expected. */
  subscribed(atMs: number | undefined): void {
    this.subscribedSinceMs = atMs;
    if (atMs === undefined) this.pending.clear();
  }

  /** The push path delivered `key`. */
  push(key: string): void {
    this.pending.delete(key);
    this.pushed.add(key);
    if (this.pushed.size > this.capacity) this.pushed.delete(this.pushed.values().next().value!);
  }

  /** The poll path shows `key`, an event of `eventMs`. */
  poll(key: string, eventMs: number): void {
    const since = this.subscribedSinceMs;
    // Events from the subscription's first second may predate its start_ack on the server.
    if (since === undefined || eventMs < since + 1_000 || this.pushed.has(key)) return;
    if (!this.pending.has(key)) this.pending.set(key, eventMs + this.graceMs);
  }

  /** How many events are overdue at `nowMs`: more than zero means resubscribe. Clears them. */
  overdue(nowMs: number): number {
    let count = 0;
    for (const [key, dueMs] of this.pending) {
      if (dueMs > nowMs) continue;
      this.pending.delete(key);
      count++;
    }
    return count;
  }
}
