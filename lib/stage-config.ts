import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_CAPACITY_LEAD_MINUTES, DEFAULT_CAPACITY_TAIL_MINUTES } from '../lambdas/config.js';
import { MAX_LIVE_COMMENT_LIMIT } from '../lambdas/domain/feed/ticks.js';

/** The environments one `cdk deploy` makes. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** The host service's viewer tokens, which the post function verifies (ADR 0005). */
export interface ViewerTokenSettings {
  /** HTTPS URL of the host service's JSON Web Key Set. */
  readonly jwksUrl: string;
  /** Expected `iss` claim. */
  readonly issuer: string;
  /** Expected `aud` claim. */
  readonly audience: string;
}

/** When the scaler runs around an event (ADR 0016): the admin function schedules it from these. */
export interface CapacityTiming {
  /** Minutes before an event starts that its capacity is applied. */
  readonly leadMinutes: number;
  /** Minutes after an event ends that capacity returns to the baseline. */
  readonly tailMinutes: number;
}

/**
 * The defaults are the functions' own (`lambdas/config.ts`, both *assumptions*: 30 minutes for
 * provisioned concurrency and warm throughput to be allocated — ANCHORS.md's on-demand ramp is
 * ~30 minutes too — and 15 for the audience that lingers). One source, so a function and its
 * schedules cannot disagree.
 */
export { DEFAULT_CAPACITY_LEAD_MINUTES, DEFAULT_CAPACITY_TAIL_MINUTES };

/**
 * The longest lead or tail accepted: a day (the functions' `Config` refuses more too). Longer means
 * an operator typed seconds or hours-as-minutes, not a plan.
 */
export const MAX_CAPACITY_MINUTES = 1_440;

/** Everything the app needs to know about the environment it builds. */
export interface StageConfig {
  readonly stage: Stage;
  readonly viewerToken: ViewerTokenSettings;
  readonly capacity: CapacityTiming;
  /** Subscribed to the alarm topic when given (`-c alarmEmail=ops@example.com`). */
  readonly alarmEmail?: string;
  /** AWS WAF on the API stage (ADR 0031): on unless `-c waf=false`. */
  readonly waf: boolean;
  /**
   * `LIVE_COMMENT_LIMIT` for every function (`-c liveCommentLimit=900`): the read functions cut
   * `live` documents at it, and the admin function and the scaler plan with it (ADR 0035). Unset:
   * the functions' default, 500.
   */
  readonly liveCommentLimit?: number;
}

/**
 * Placeholders that let `dev` synthesize and deploy without a host service.
 * They name no real issuer: posts are refused (401) until real values are given.
 */
export const DEV_VIEWER_TOKEN_PLACEHOLDERS: ViewerTokenSettings = {
  jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
  issuer: 'https://auth.example.com/',
  audience: 'hybrid-live-chat',
};

/** The context keys `bin/app.ts` reads, as given on the command line (`-c key=value`). */
export interface StageContext {
  readonly stage?: unknown;
  readonly viewerTokenJwksUrl?: unknown;
  readonly viewerTokenIssuer?: unknown;
  readonly viewerTokenAudience?: unknown;
  readonly capacityLeadMinutes?: unknown;
  readonly capacityTailMinutes?: unknown;
  readonly alarmEmail?: unknown;
  readonly waf?: unknown;
  readonly liveCommentLimit?: unknown;
}

const VIEWER_TOKEN_CONTEXT = {
  jwksUrl: 'viewerTokenJwksUrl',
  issuer: 'viewerTokenIssuer',
  audience: 'viewerTokenAudience',
} as const satisfies Record<keyof ViewerTokenSettings, keyof StageContext>;

/**
 * Turns raw CDK context into a checked `StageConfig`, or throws a message that
 * says what was given and what to pass instead.
 */
export function resolveStageConfig(context: StageContext): StageConfig {
  const stage = context.stage ?? 'dev';
  if (!isStage(stage)) {
    throw new Error(
      `Unknown stage ${JSON.stringify(stage)}: pass -c stage=${STAGES.join('|')} (default: dev).`,
    );
  }

  const given: Partial<Record<keyof ViewerTokenSettings, string>> = {};
  for (const [setting, key] of Object.entries(VIEWER_TOKEN_CONTEXT) as [
    keyof ViewerTokenSettings,
    string,
  ][]) {
    const value = context[key as keyof StageContext];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') {
      throw new Error(`Context ${key} must be a string, got ${JSON.stringify(value)}.`);
    }
    given[setting] = value.trim();
  }

  let viewerToken: ViewerTokenSettings;
  if (stage === 'dev') {
    viewerToken = { ...DEV_VIEWER_TOKEN_PLACEHOLDERS, ...given };
  } else {
    const missing = Object.entries(VIEWER_TOKEN_CONTEXT)
      .filter(([setting]) => given[setting as keyof ViewerTokenSettings] === undefined)
      .map(([, key]) => key);
    if (missing.length > 0) {
      throw new Error(
        `Stage ${stage} needs the host service's viewer-token settings; missing ${missing.join(', ')}. ` +
          `Pass them as context, e.g. -c viewerTokenJwksUrl=https://auth.example.com/.well-known/jwks.json ` +
          `-c viewerTokenIssuer=https://auth.example.com/ -c viewerTokenAudience=hybrid-live-chat.`,
      );
    }
    viewerToken = given as ViewerTokenSettings;
  }
  validateViewerToken(viewerToken);
  const capacity: CapacityTiming = {
    leadMinutes: capacityMinutes(
      'capacityLeadMinutes',
      context.capacityLeadMinutes,
      DEFAULT_CAPACITY_LEAD_MINUTES,
    ),
    tailMinutes: capacityMinutes(
      'capacityTailMinutes',
      context.capacityTailMinutes,
      DEFAULT_CAPACITY_TAIL_MINUTES,
    ),
  };
  const alarmEmail = optionalEmail('alarmEmail', context.alarmEmail);
  const liveCommentLimit = optionalWholeNumber(
    'liveCommentLimit',
    context.liveCommentLimit,
    1,
    MAX_LIVE_COMMENT_LIMIT,
  );
  return {
    stage,
    viewerToken,
    capacity,
    waf: onOff('waf', context.waf, true),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(liveCommentLimit !== undefined ? { liveCommentLimit } : {}),
  };
}

/** An e-mail address, or nothing when the key is absent or empty. */
function optionalEmail(key: keyof StageContext, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim())) {
    throw new Error(`Context ${key} must be an e-mail address, got ${JSON.stringify(value)}.`);
  }
  return value.trim();
}

/** A switch: `-c waf=false` arrives as the string "false", cdk.json may hold the boolean. */
function onOff(key: keyof StageContext, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}.`);
}

/** A whole number from `min` to `max` as `-c key=900` (a string) or cdk.json (a number); nothing when unset. */
function optionalWholeNumber(
  key: keyof StageContext,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = wholeNumberOf(value);
  if (!(n >= min && n <= max)) {
    throw new Error(
      `Context ${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return n;
}

/**
 * A context value in whole minutes, 0–MAX_CAPACITY_MINUTES: `-c key=45` arrives as the string
 * "45", cdk.json may hold the number 45. Anything else is refused, never rounded or clamped.
 */
function capacityMinutes(key: keyof StageContext, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const minutes = wholeNumberOf(value);
  if (!(minutes >= 0 && minutes <= MAX_CAPACITY_MINUTES)) {
    throw new Error(
      `Context ${key} must be whole minutes from 0 to ${MAX_CAPACITY_MINUTES}, got ${JSON.stringify(value)}.`,
    );
  }
  return minutes;
}

/**
 * `-c key=45` arrives as the string "45", cdk.json may hold the number 45: either as a whole
 * number, or NaN for anything else (fractions, signs, units), which no range admits.
 */
function wholeNumberOf(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) ? n : NaN;
}

/** Throws unless the settings are usable by the post function's `Config` schema. */
export function validateViewerToken(settings: ViewerTokenSettings): void {
  let url: URL | undefined;
  try {
    url = new URL(settings.jwksUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') {
    throw new Error(
      `viewerTokenJwksUrl must be an https:// URL of the host service's JWKS, got ${JSON.stringify(settings.jwksUrl)}.`,
    );
  }
  if (settings.issuer.trim() === '') throw new Error('viewerTokenIssuer must not be empty.');
  if (settings.audience.trim() === '') throw new Error('viewerTokenAudience must not be empty.');
}

/** What differs between stages, decided in one place. */
export interface StageSettings {
  /** Tables and logs: destroyed with a dev stack, kept when a prod stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection: a prod table cannot be deleted by any API call until it is turned off. */
  readonly deletionProtection: boolean;
  /** Function and access logs: a week in dev, a month in prod (long enough to investigate an event after it). */
  readonly logRetention: RetentionDays;
  /** GraphQL introspection on the realtime API: for tools in dev; prod does not describe itself to strangers. */
  readonly graphqlIntrospection: boolean;
}

export function stageSettings(stage: Stage): StageSettings {
  switch (stage) {
    case 'dev':
      return {
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
        logRetention: RetentionDays.ONE_WEEK,
        graphqlIntrospection: true,
      };
    case 'prod':
      return {
        removalPolicy: RemovalPolicy.RETAIN,
        deletionProtection: true,
        logRetention: RetentionDays.ONE_MONTH,
        graphqlIntrospection: false,
      };
    default:
      return assertNever(stage);
  }
}

/** Guards stack props when called from plain JavaScript or with a cast. */
export function assertStage(stage: unknown, where: string): asserts stage is Stage {
  if (!isStage(stage)) {
    throw new Error(`${where}: stage must be one of ${STAGES.join(', ')}, got ${JSON.stringify(stage)}.`);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}.`);
}
