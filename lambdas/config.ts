import * as z from 'zod/mini';
import './domain/zod-english.js';
import { DEFAULT_CANARY_ROOM_ID } from './domain/canary/room-ids.js';
import { DEFAULT_LIVE_COMMENT_LIMIT, MAX_LIVE_COMMENT_LIMIT } from './domain/feed/ticks.js';
import { ROOM_ID_PATTERN } from './domain/paths.js';

/** A lead or tail longer than a day is a unit mistake (hours for minutes), not a plan. */
export const MINUTES_PER_DAY = 1_440;

/**
 * Assumption: 30 minutes leaves provisioned concurrency (it takes minutes to
 * allocate) and a warm-throughput raise time to finish before viewers arrive.
 * Not a schema default, so functions that never scale see no capacity settings.
 */
export const DEFAULT_CAPACITY_LEAD_MINUTES = 30;
/** Assumption: the audience lingers for a while after an event ends. */
export const DEFAULT_CAPACITY_TAIL_MINUTES = 15;

const NonEmpty = z.string().check(z.minLength(1));
/** A whole number from an environment variable. */
const envInt = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));

/** A JSON object naming each scaled function (names or ARNs). */
const ScaledFunctionNames = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'is not JSON', input: text });
        return z.NEVER;
      }
    }),
  ),
  z.strictObject({ postComment: NonEmpty, getLive: NonEmpty, getSegment: NonEmpty }),
);

/**
 * Every variable CDK may give a function (lib/constructs/chat-function.ts types the environment
 * from it). Each function parses only its own kind's subset below, once, at cold start.
 */
export const Config = z.object({
  COMMENTS_TABLE_NAME: NonEmpty,
  CONTROL_TABLE_NAME: NonEmpty,
  /** The host service's JSON Web Key Set, which signs viewer tokens. */
  VIEWER_TOKEN_JWKS_URL: z.url(),
  VIEWER_TOKEN_ISSUER: NonEmpty,
  VIEWER_TOKEN_AUDIENCE: NonEmpty,
  /** How long a function trusts its in-memory copy of a room (settings take effect within this). */
  ROOM_CACHE_TTL_MS: z._default(envInt(0, 60_000), 1_000),
  /** Most comments one `live` document carries (DEFAULT_LIVE_COMMENT_LIMIT says why 500). */
  LIVE_COMMENT_LIMIT: z._default(envInt(1, MAX_LIVE_COMMENT_LIMIT), DEFAULT_LIVE_COMMENT_LIMIT),
  /** Days a comment is kept before the table's TTL removes it. */
  COMMENT_RETENTION_DAYS: z._default(envInt(1, 3_650), 30),
  /**
   * The Secrets Manager secret whose values the origin header must carry (ADR 0030): required by
   * every HTTP function, unset for the scaler and the rotation function's own reads.
   */
  ORIGIN_SECRET_ARN: z.optional(NonEmpty),
  /** The CloudFront distribution the rotation function points at the new value (ADR 0030). */
  DISTRIBUTION_ID: z.optional(NonEmpty),

  // The admin function's settings (unset for the viewer functions).
  /** Where the backend publishes realtime events (AppSync's GraphQL endpoint; IAM-signed). */
  REALTIME_GRAPHQL_URL: z.optional(z.url()),
  /** What players are told to connect to (connection info): GraphQL URL, realtime URL and API key. */
  REALTIME_CLIENT_GRAPHQL_URL: z.optional(z.url()),
  REALTIME_CLIENT_REALTIME_URL: z.optional(z.url()),
  REALTIME_API_KEY: z.optional(NonEmpty),
  /** The AppSync API id: the dimension of its CloudWatch metrics (statistics). */
  REALTIME_API_ID: z.optional(NonEmpty),
  /**
   * An SSM parameter holding `{"distributionId","url"}` of the CloudFront distribution. A
   * parameter, not variables: the distribution is built after the functions (it fronts their
   * API), so they cannot reference it directly.
   */
  EDGE_PARAMETER_NAME: z.optional(NonEmpty),

  // The scaler's settings (ADR 0015): set for the scaler and admin functions.
  /** `{"postComment":"…","getLive":"…","getSegment":"…"}`: the functions kept warm with provisioned concurrency. */
  SCALED_FUNCTION_NAMES: z.optional(ScaledFunctionNames),
  /** The REST API and stage whose throttles the scaler sets. */
  REST_API_ID: z.optional(NonEmpty),
  REST_API_STAGE: z.optional(NonEmpty),
  /** The scaler function: what schedules and the admin function invoke. */
  SCALER_FUNCTION_ARN: z.optional(NonEmpty),
  /** The role EventBridge Scheduler assumes to invoke the scaler. */
  SCHEDULER_ROLE_ARN: z.optional(NonEmpty),
  /** The schedule group the rooms' schedules live in. */
  SCHEDULE_GROUP_NAME: z.optional(NonEmpty),
  /** Minutes before an event starts that its capacity must be in place (unset: DEFAULT_CAPACITY_LEAD_MINUTES). */
  CAPACITY_LEAD_MINUTES: z.optional(envInt(0, MINUTES_PER_DAY)),
  /** Minutes after an event ends that its capacity is kept (unset: DEFAULT_CAPACITY_TAIL_MINUTES). */
  CAPACITY_TAIL_MINUTES: z.optional(envInt(0, MINUTES_PER_DAY)),

  // The canary's settings (ADR 0032).
  /** The distribution's URL (https://…cloudfront.net): the canary posts and polls through it. */
  CANARY_EDGE_URL: z.optional(z.url()),
  /** The room the canary posts and pings in; created on first run. */
  CANARY_ROOM_ID: z._default(
    z.string().check(z.regex(new RegExp(ROOM_ID_PATTERN), 'a room id is 1–64 of A–Z a–z 0–9 _ -')),
    DEFAULT_CANARY_ROOM_ID,
  ),
  /** The Secrets Manager secret holding the canary's viewer token (`{"token":"…"}`). */
  CANARY_TOKEN_SECRET_ARN: z.optional(NonEmpty),
  /**
   * The deployment stage: a dimension of the metrics the publishing functions (admin, canary) emit,
   * so stages sharing an account stay apart.
   */
  STAGE: z.optional(NonEmpty),

  // The view-limit batch's settings (ADR 0039).
  /**
   * The SQS queue of view-limit jobs: the scheduler sends one per limited channel; the admin
   * function sends plan changes and runs now.
   */
  LIMITS_QUEUE_URL: z.optional(z.url()),
  /** The S3 bucket closed segments are archived in (ADR 0037): the archiver, getSegment and admin. */
  ARCHIVE_BUCKET_NAME: z.optional(NonEmpty),
});
export type Config = z.infer<typeof Config>;

/** Set by the Lambda runtime, not by CDK. */
const Runtime = {
  AWS_REGION: NonEmpty,
  /**
   * The SDK's own variable for another DynamoDB endpoint (DynamoDB Local, when the benchmark runs a
   * bundle in a fresh process). Unset in AWS. Read here and passed on, so any client honours it.
   */
  AWS_ENDPOINT_URL_DYNAMODB: z.optional(z.url()),
  /** The same for Secrets Manager (the benchmark's stand-in for the origin secret). Unset in AWS. */
  AWS_ENDPOINT_URL_SECRETS_MANAGER: z.optional(z.url()),
};

/** Settings optional in `Config` that one kind of function cannot run without are unwrapped below. */
const shape = Config.shape;
const required = <T extends z.ZodMiniOptional>(schema: T): T['def']['innerType'] => schema.def.innerType;

/** GET live, segments and room info. */
export const ReadConfig = z.extend(
  z.pick(Config, {
    COMMENTS_TABLE_NAME: true,
    CONTROL_TABLE_NAME: true,
    ROOM_CACHE_TTL_MS: true,
    LIVE_COMMENT_LIMIT: true,
  }),
  { ...Runtime, ORIGIN_SECRET_ARN: required(shape.ORIGIN_SECRET_ARN) },
);
export type ReadConfig = z.infer<typeof ReadConfig>;

/** GET segments: the reads' settings and the archive bucket (ADR 0037). */
export const SegmentConfig = z.extend(ReadConfig, {
  ARCHIVE_BUCKET_NAME: required(shape.ARCHIVE_BUCKET_NAME),
});
export type SegmentConfig = z.infer<typeof SegmentConfig>;

/** POST comments: the reads' tables and cache, the viewer tokens, the retention. */
export const PostConfig = z.extend(
  z.pick(Config, {
    COMMENTS_TABLE_NAME: true,
    CONTROL_TABLE_NAME: true,
    ROOM_CACHE_TTL_MS: true,
    COMMENT_RETENTION_DAYS: true,
    VIEWER_TOKEN_JWKS_URL: true,
    VIEWER_TOKEN_ISSUER: true,
    VIEWER_TOKEN_AUDIENCE: true,
  }),
  { ...Runtime, ORIGIN_SECRET_ARN: required(shape.ORIGIN_SECRET_ARN) },
);
export type PostConfig = z.infer<typeof PostConfig>;

/**
 * The admin API. The realtime client settings and the API id stay optional: without them the
 * connection info answers 503 and the statistics leave the realtime figures out.
 */
export const AdminConfig = z.extend(
  z.pick(Config, {
    COMMENTS_TABLE_NAME: true,
    CONTROL_TABLE_NAME: true,
    COMMENT_RETENTION_DAYS: true,
    REALTIME_CLIENT_GRAPHQL_URL: true,
    REALTIME_CLIENT_REALTIME_URL: true,
    REALTIME_API_KEY: true,
    REALTIME_API_ID: true,
    CAPACITY_LEAD_MINUTES: true,
    CAPACITY_TAIL_MINUTES: true,
    LIMITS_QUEUE_URL: true,
    // The capacity plan checks `live` documents against it (ADR 0035).
    LIVE_COMMENT_LIMIT: true,
  }),
  {
    ...Runtime,
    ORIGIN_SECRET_ARN: required(shape.ORIGIN_SECRET_ARN),
    REALTIME_GRAPHQL_URL: required(shape.REALTIME_GRAPHQL_URL),
    EDGE_PARAMETER_NAME: required(shape.EDGE_PARAMETER_NAME),
    SCALER_FUNCTION_ARN: required(shape.SCALER_FUNCTION_ARN),
    SCHEDULER_ROLE_ARN: required(shape.SCHEDULER_ROLE_ARN),
    SCHEDULE_GROUP_NAME: required(shape.SCHEDULE_GROUP_NAME),
    ARCHIVE_BUCKET_NAME: required(shape.ARCHIVE_BUCKET_NAME),
    STAGE: required(shape.STAGE),
  },
);
export type AdminConfig = z.infer<typeof AdminConfig>;

/** The scaler: the tables, what it scales, the timing. */
export const ScalerConfig = z.extend(
  z.pick(Config, {
    COMMENTS_TABLE_NAME: true,
    CONTROL_TABLE_NAME: true,
    CAPACITY_LEAD_MINUTES: true,
    CAPACITY_TAIL_MINUTES: true,
    LIVE_COMMENT_LIMIT: true,
  }),
  {
    ...Runtime,
    SCALED_FUNCTION_NAMES: required(shape.SCALED_FUNCTION_NAMES),
    REST_API_ID: required(shape.REST_API_ID),
    REST_API_STAGE: required(shape.REST_API_STAGE),
  },
);
export type ScalerConfig = z.infer<typeof ScalerConfig>;

/** The origin secret's rotation function (ADR 0030): which distribution sends the header. */
export const RotationConfig = z.extend(z.object({}), {
  ...Runtime,
  DISTRIBUTION_ID: required(shape.DISTRIBUTION_ID),
});
export type RotationConfig = z.infer<typeof RotationConfig>;

/**
 * The canary: the control table (its room), where it publishes and subscribes, the edge, the
 * stage. Without a token secret its post step says `not_configured`.
 */
export const CanaryConfig = z.extend(
  z.pick(Config, { CONTROL_TABLE_NAME: true, CANARY_ROOM_ID: true, CANARY_TOKEN_SECRET_ARN: true }),
  {
    ...Runtime,
    REALTIME_GRAPHQL_URL: required(shape.REALTIME_GRAPHQL_URL),
    REALTIME_CLIENT_GRAPHQL_URL: required(shape.REALTIME_CLIENT_GRAPHQL_URL),
    REALTIME_CLIENT_REALTIME_URL: required(shape.REALTIME_CLIENT_REALTIME_URL),
    REALTIME_API_KEY: required(shape.REALTIME_API_KEY),
    CANARY_EDGE_URL: required(shape.CANARY_EDGE_URL),
    STAGE: required(shape.STAGE),
  },
);
export type CanaryConfig = z.infer<typeof CanaryConfig>;

/** The view-limit scheduler (ADR 0039): the plans (control table) and the queue it fills. */
export const LimitsSchedulerConfig = z.extend(z.pick(Config, { CONTROL_TABLE_NAME: true }), {
  ...Runtime,
  LIMITS_QUEUE_URL: required(shape.LIMITS_QUEUE_URL),
});
export type LimitsSchedulerConfig = z.infer<typeof LimitsSchedulerConfig>;

/** The view-limit worker (ADR 0039): reads the comments, writes cutoffs to rooms in the control table. */
export const LimitsWorkerConfig = z.extend(
  z.pick(Config, { COMMENTS_TABLE_NAME: true, CONTROL_TABLE_NAME: true }),
  { ...Runtime, EDGE_PARAMETER_NAME: required(shape.EDGE_PARAMETER_NAME) },
);
export type LimitsWorkerConfig = z.infer<typeof LimitsWorkerConfig>;

/** The archiver (ADR 0037): both tables and the archive bucket. */
export const ArchiverConfig = z.extend(
  z.pick(Config, { COMMENTS_TABLE_NAME: true, CONTROL_TABLE_NAME: true }),
  {
    ...Runtime,
    ARCHIVE_BUCKET_NAME: required(shape.ARCHIVE_BUCKET_NAME),
  },
);
export type ArchiverConfig = z.infer<typeof ArchiverConfig>;

/**
 * The environment parsed by `schema`, or an Error naming every problem: a function that cannot
 * start says why at its cold start, not at the first request that needs the setting.
 */
export function parseConfig<S extends z.ZodMiniType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<S> {
  // An empty variable means "not set": it must not coerce to 0 and turn a cache off.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = z.safeParse(schema, set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid function configuration (${problems}).`);
  }
  return parsed.data;
}

/** Every variable, as CDK's environment must satisfy it (tests). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  return parseConfig(Config, env);
}

/** How long before an event its capacity is in place and how long after it is kept, in ms. */
export function capacityWindows(config: Pick<Config, 'CAPACITY_LEAD_MINUTES' | 'CAPACITY_TAIL_MINUTES'>): {
  readonly leadTimeMs: number;
  readonly tailMs: number;
} {
  return {
    leadTimeMs: (config.CAPACITY_LEAD_MINUTES ?? DEFAULT_CAPACITY_LEAD_MINUTES) * 60_000,
    tailMs: (config.CAPACITY_TAIL_MINUTES ?? DEFAULT_CAPACITY_TAIL_MINUTES) * 60_000,
  };
}

/** The stores' DynamoDB client settings, as every function reads them. */
export function dynamoSettings(config: Pick<ReadConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB'>): {
  readonly region: string;
  readonly endpoint?: string;
} {
  return {
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
  };
}

export function tableNames(config: Pick<Config, 'COMMENTS_TABLE_NAME' | 'CONTROL_TABLE_NAME'>) {
  return { comments: config.COMMENTS_TABLE_NAME, control: config.CONTROL_TABLE_NAME };
}
