import { matchesFilter, type SubscriptionFilter } from './filters.js';
import { projected, type Selection } from './selection.js';

/** A started subscription, as the fan-out reads it. */
export interface Subscription {
  readonly fieldName: string;
  /** The field's arguments the client gave (null ones left out): argument-based filtering. */
  readonly args: Record<string, unknown>;
  /** The enhanced filter the field's resolver set, if any. */
  readonly filter?: SubscriptionFilter;
  readonly responseKey: string;
  readonly selection: Selection;
  /**
   * Subscriptions with the same key select the same fields with the same
   * arguments and filter, so one serialized payload serves all of them.
   */
  readonly key: string;
}

/** Hands a subscriber the serialized `payload` of its `data` message. */
export type Deliver = (payload: string) => void;

interface Group {
  readonly subscription: Subscription;
  readonly members: Set<Deliver>;
}

/** Argument-based filtering (every given argument equals the event's field of that name) AND the enhanced filter. */
export function matches(subscription: Pick<Subscription, 'args' | 'filter'>, event: Record<string, unknown>) {
  for (const name in subscription.args) {
    if (!sameValue(event[name], subscription.args[name])) return false;
  }
  return subscription.filter ? matchesFilter(subscription.filter, event) : true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The open subscriptions, grouped by field and key. A published event is
 * matched, projected and serialized once per group, then handed to each
 * member as the same string: the per-subscriber cost is the send alone.
 */
export class SubscriptionRegistry {
  private readonly byField = new Map<string, Map<string, Group>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Keeps the subscription until the returned function is called. */
  add(subscription: Subscription, deliver: Deliver): () => void {
    const groups = this.byField.get(subscription.fieldName) ?? new Map<string, Group>();
    this.byField.set(subscription.fieldName, groups);
    const group = groups.get(subscription.key) ?? { subscription, members: new Set<Deliver>() };
    groups.set(subscription.key, group);
    group.members.add(deliver);
    this.count++;
    // Holds the group only: a member's own prepared subscription is garbage once it has joined.
    return () => {
      if (!group.members.delete(deliver)) return;
      this.count--;
      if (group.members.size === 0) groups.delete(group.subscription.key);
    };
  }

  /** Open subscriptions to `fieldName` whose arguments include `args`. */
  countMatching(fieldName: string, args: Record<string, unknown>): number {
    let count = 0;
    for (const { subscription, members } of this.byField.get(fieldName)?.values() ?? []) {
      if (Object.entries(args).every(([name, value]) => subscription.args[name] === value)) {
        count += members.size;
      }
    }
    return count;
  }

  /** Sends `event` to the matching subscriptions of `fieldNames`; returns how many it was handed to. */
  publish(fieldNames: readonly string[], event: Record<string, unknown>): number {
    let delivered = 0;
    for (const fieldName of fieldNames) {
      for (const { subscription, members } of this.byField.get(fieldName)?.values() ?? []) {
        if (!matches(subscription, event)) continue;
        const payload = JSON.stringify({
          data: { [subscription.responseKey]: projected(subscription.selection, event) },
        });
        for (const deliver of members) deliver(payload);
        delivered += members.size;
      }
    }
    return delivered;
  }
}
