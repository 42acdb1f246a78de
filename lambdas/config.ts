import { z } from 'zod';
import { DEFAULT_LIVE_COMMENT_LIMIT } from './domain/feed/ticks.js';

/** A lead or tail longer than a day is a unit mistake (hours for minutes), not a plan. */
const MINUTES_PER_DAY = 1_440;

/**
 * Assumption: 30 minutes leaves provisioned concurrency (it takes minutes to
 * allocate) and a warm-throughput raise time to finish before viewers arrive.
 * Not a schema default, so functions that never scale see no capacity settings.
 */
export const DEFAULT_CAPACITY_LEAD_MINUTES = 30;
/** Assumption: the audience lingers for a while after an event ends. */
export const DEFAULT_CAPACITY_TAIL_MINUTES = 15;

/** A JSON object naming each scaled function (names or ARNs). */
const ScaledFunctionNames = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      postComment: z.string().min(1),
      getLive: z.string().min(1),
      getSegment: z.string().min(1),
    }),
  );

/** Every setting the functions read, validated once at cold start. */
export const Config = z.object({
  COMMENTS_TABLE_NAME: z.string().min(1),
  CONTROL_TABLE_NAME: z.string().min(1),
  /** The host service's JSON Web Key Set, which signs viewer tokens. */
  VIEWER_TOKEN_JWKS_URL: z.url(),
  VIEWER_TOKEN_ISSUER: z.string().min(1),
  VIEWER_TOKEN_AUDIENCE: z.string().min(1),
  /** How long a function trusts its in-memory copy of a room (settings take effect within this). */
  ROOM_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Most comments one `live` document carries (DEFAULT_LIVE_COMMENT_LIMIT says why 500). */
  LIVE_COMMENT_LIMIT: z.coerce.number().int().min(1).max(1_000).default(DEFAULT_LIVE_COMMENT_LIMIT),
  /** Days a comment is kept before the table's TTL removes it. */
  COMMENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),

  // The admin function's settings (unset for the viewer functions).
  /** Where the backend publishes realtime events (AppSync's GraphQL endpoint; IAM-signed). */
  REALTIME_GRAPHQL_URL: z.url().optional(),
  /** What players are told to connect to (connection info): GraphQL URL, realtime URL and API key. */
  REALTIME_CLIENT_GRAPHQL_URL: z.url().optional(),
  REALTIME_CLIENT_REALTIME_URL: z.url().optional(),
  REALTIME_API_KEY: z.string().min(1).optional(),
  /** The AppSync API id: the dimension of its CloudWatch metrics (statistics). */
  REALTIME_API_ID: z.string().min(1).optional(),
  /**
   * In AWS: an SSM parameter holding `{"distributionId","url"}` of the CloudFront
   * distribution. A parameter, not variables: the distribution is built after
   * the functions (it fronts their API), so they cannot reference it directly.
   */
  EDGE_PARAMETER_NAME: z.string().min(1).optional(),
  /** Locally: the edge's URL (public base URL, invalidations, local counters). Wins over the parameter. */
  LOCAL_EDGE_URL: z.url().optional(),

  // The scaler's settings (ADR 0015): set for the scaler and admin functions; checked where used.
  /** `{"postComment":"…","getLive":"…","getSegment":"…"}`: the functions kept warm with provisioned concurrency. */
  SCALED_FUNCTION_NAMES: ScaledFunctionNames.optional(),
  /** The REST API and stage whose throttles the scaler sets. */
  REST_API_ID: z.string().min(1).optional(),
  REST_API_STAGE: z.string().min(1).optional(),
  /** The scaler function: what schedules and the admin function invoke. */
  SCALER_FUNCTION_ARN: z.string().min(1).optional(),
  /** The role EventBridge Scheduler assumes to invoke the scaler. */
  SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  /** The schedule group the rooms' schedules live in. */
  SCHEDULE_GROUP_NAME: z.string().min(1).optional(),
  /** Minutes before an event starts that its capacity must be in place (unset: DEFAULT_CAPACITY_LEAD_MINUTES). */
  CAPACITY_LEAD_MINUTES: z.coerce.number().int().min(0).max(MINUTES_PER_DAY).optional(),
  /** Minutes after an event ends that its capacity is kept (unset: DEFAULT_CAPACITY_TAIL_MINUTES). */
  CAPACITY_TAIL_MINUTES: z.coerce.number().int().min(0).max(MINUTES_PER_DAY).optional(),
  /** Locally: the runtime that stands in for Lambda, API Gateway and Scheduler. Wins over AWS. */
  LOCAL_CONTROL_PLANE_URL: z.url().optional(),
});
export type Config = z.infer<typeof Config>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set": it must not coerce to 0 and turn a cache off.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = Config.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid function configuration (${problems}).`);
  }
  return parsed.data;
}
