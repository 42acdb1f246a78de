/**
 * A CloudFront-like cache in front of the cacheable routes: keyed by path
 * alone, stored for as long as the origin's `Cache-Control` says (`s-maxage`
 * over `max-age`; nothing for `no-store`, `no-cache` or `private`), with
 * concurrent misses on one key collapsed into a single origin call.
 */
export interface EdgeResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array;
}

export interface EdgeStats {
  requests: number;
  hits: number;
  misses: number;
  /** Requests that waited on another request's origin call instead of making their own. */
  collapsed: number;
  originCalls: number;
  invalidations: number;
  entries: number;
}

interface Entry {
  readonly response: EdgeResponse;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export type CacheOutcome = 'Hit' | 'Miss' | 'Collapsed';

/** Requests the edge answered for some paths in one minute (`requestsPerMinute`). */
export interface MinuteRequests {
  readonly minuteMs: number;
  readonly count: number;
}

const MINUTE_MS = 60_000;
/** How long per-minute request counts are kept: the longest statistics window. */
const TRAFFIC_RETENTION_MS = 24 * 3600 * 1000;

export class EdgeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<EdgeResponse>>();
  /** In-flight origin calls an invalidation overtook: their responses are served, not stored. */
  private readonly overtaken = new Set<string>();
  private readonly counters = {
    requests: 0,
    hits: 0,
    misses: 0,
    collapsed: 0,
    originCalls: 0,
    invalidations: 0,
  };
  /**
   * Requests per path, per minute, for the last day: what CloudFront's request
   * metrics give per distribution, kept per path so a room's polls are exact.
   */
  private readonly traffic = new Map<number, Map<string, number>>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  async fetch(
    key: string,
    origin: () => Promise<EdgeResponse>,
  ): Promise<{ response: EdgeResponse; outcome: CacheOutcome; ageSeconds: number }> {
    this.counters.requests++;
    const now = this.clock();
    this.countRequest(key, now);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      this.counters.hits++;
      return {
        response: entry.response,
        outcome: 'Hit',
        ageSeconds: Math.floor((now - entry.storedAt) / 1000),
      };
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counters.collapsed++;
      return { response: await pending, outcome: 'Collapsed', ageSeconds: 0 };
    }

    this.counters.misses++;
    this.counters.originCalls++;
    const call = origin().then((response) => {
      if (!this.overtaken.delete(key)) this.store(key, response);
      return response;
    });
    this.inFlight.set(key, call);
    try {
      return { response: await call, outcome: 'Miss', ageSeconds: 0 };
    } finally {
      this.inFlight.delete(key);
      this.overtaken.delete(key);
    }
  }

  /** Drops cached paths: an exact path, or a prefix ending in `*` (CloudFront's invalidation syntax). */
  invalidate(paths: readonly string[]): number {
    const matches = (key: string) =>
      paths.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p));
    let dropped = 0;
    for (const key of [...this.entries.keys()]) {
      if (matches(key)) {
        this.entries.delete(key);
        dropped++;
      }
    }
    for (const key of this.inFlight.keys()) if (matches(key)) this.overtaken.add(key);
    this.counters.invalidations++;
    return dropped;
  }

  stats(): EdgeStats {
    return { ...this.counters, entries: this.entries.size };
  }

  /** Requests for paths starting with `prefix`, per minute, oldest first; minutes without any left out. */
  requestsPerMinute(prefix: string): MinuteRequests[] {
    const out: MinuteRequests[] = [];
    for (const [minuteMs, paths] of [...this.traffic.entries()].sort(([a], [b]) => a - b)) {
      let count = 0;
      for (const [path, n] of paths) if (path.startsWith(prefix)) count += n;
      if (count > 0) out.push({ minuteMs, count });
    }
    return out;
  }

  private countRequest(path: string, nowMs: number): void {
    const minuteMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    let paths = this.traffic.get(minuteMs);
    if (!paths) {
      paths = new Map();
      this.traffic.set(minuteMs, paths);
      // A new minute: forget the minutes older than a day.
      for (const old of [...this.traffic.keys()]) {
        if (old <= minuteMs - TRAFFIC_RETENTION_MS) this.traffic.delete(old);
      }
    }
    // Bounded like the cache: a flood of distinct paths stops being counted, never grows memory.
    if (paths.has(path) || paths.size < this.maxEntries) paths.set(path, (paths.get(path) ?? 0) + 1);
  }

  private store(key: string, response: EdgeResponse): void {
    const ttlSeconds = cacheLifetime(response.headers);
    if (ttlSeconds <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const now = this.clock();
    this.entries.set(key, { response, storedAt: now, expiresAt: now + ttlSeconds * 1000 });
  }
}

/** Seconds a shared cache may keep a response, from its Cache-Control header. */
export function cacheLifetime(headers: Record<string, string>): number {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'cache-control')?.[1];
  if (!value) return 0;
  const directives = new Map<string, string | undefined>();
  for (const part of value.split(',')) {
    const [name, arg] = part.trim().split('=');
    if (name) directives.set(name.toLowerCase(), arg?.trim());
  }
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return 0;
  const seconds = Number(directives.get('s-maxage') ?? directives.get('max-age') ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
