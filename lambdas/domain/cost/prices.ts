/**
 * The price table the cost model reads: AWS list prices (USD, before free tier) per region.
 *
 * HOW TO UPDATE: this file is plain data and the only place prices live. To change a price, edit
 * its `usd`, set `date` to when you read it and `source` to where, and set `verified: true` only
 * when you read the number on AWS's own page or price list for that region. A new region is one
 * more entry in `REGIONS` and `PRICES` (the compiler lists every field it needs). `npm run cost`
 * shows every unverified price with a marker, so nothing unchecked passes as fact.
 *
 * Sources: docs/sources/ANCHORS.md "Prices" (gathered late 2026), each page it names in
 * docs/sources/aws/; a new `source` string needs a row in docs/sources/README.md. Where ANCHORS gives
 * no price for a region or item, the entry reuses the nearest price it does give and says so
 * (`verified: false`, `note`).
 */

export const REGIONS = ['us-east-1', 'ap-northeast-1'] as const;
export type Region = (typeof REGIONS)[number];

/** A price: `usd` for every `per` units of `unit`. */
export interface Price {
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
  /** When the price was read (YYYY-MM). */
  readonly date: string;
  /** False when the number was not read on AWS's page for this region (derived, reused or assumed). */
  readonly verified: boolean;
  /** How an unverified price was arrived at. */
  readonly note?: string;
}

/** One band of a tiered price: applies to usage up to `upTo` units (cumulative; null = no limit). */
export interface Tier {
  readonly upTo: number | null;
  readonly usd: number;
  readonly verified: boolean;
  readonly note?: string;
}

/** A price whose rate falls with volume (per month, per account and region). */
export interface TieredPrice {
  readonly per: number;
  readonly unit: string;
  readonly source: string;
  readonly date: string;
  /** In order; the last one has `upTo: null`. */
  readonly tiers: readonly Tier[];
}

export interface PriceTable {
  readonly cloudFront: {
    readonly httpsRequests: Price;
    /** Data out to viewers, per GB (2^30 bytes), tiered by the month's volume. */
    readonly dataOut: TieredPrice;
    /** Transfer from an AWS origin (API Gateway) to CloudFront. */
    readonly originFetch: Price;
    /** CloudFront Functions: the post behaviour's viewer-address function (ADR 0031). */
    readonly functionInvocations: Price;
  };
  /** AWS WAF on the API stage (ADR 0031): monthly fees prorated by the hour, plus each request inspected. */
  readonly waf: {
    readonly webAclMonth: Price;
    readonly ruleMonth: Price;
    readonly requests: Price;
  };
  readonly apiGateway: {
    readonly restRequests: TieredPrice;
    readonly httpRequests: Price;
    readonly webSocketMessages: TieredPrice;
    readonly webSocketConnectionMinutes: Price;
  };
  readonly lambda: {
    readonly requests: Price;
    readonly durationArm64: Price;
    readonly durationX86: Price;
    /** Provisioned concurrency: per GB-second configured, whether used or not. */
    readonly provisionedConfiguredArm64: Price;
    /** Duration of invocations that run on provisioned instances (instead of `durationArm64`). */
    readonly provisionedDurationArm64: Price;
    readonly provisionedConfiguredX86: Price;
    readonly provisionedDurationX86: Price;
  };
  readonly dynamoDb: {
    readonly writeUnits: Price;
    readonly readUnits: Price;
    readonly ttlDeletes: Price;
    /** Raising a table's warm throughput (pre-warming), per write unit/s raised, once. */
    readonly warmWriteUnits: Price;
    /** Same for read units/s. */
    readonly warmReadUnits: Price;
  };
  readonly appSync: {
    /** Queries and mutations (the `publish` mutation). */
    readonly operations: Price;
    /** Each delivery to each subscriber, and each connect. */
    readonly realtimeUpdates: Price;
    readonly connectionMinutes: Price;
    /** AppSync Events (not used by this design; kept for comparison). */
    readonly eventsOperations: Price;
  };
  /** Data out to the internet from AppSync and API Gateway WebSocket (billed at EC2 rates), per GB. */
  readonly internetDataOut: TieredPrice;
  readonly ivsChat: {
    readonly messagesSent: Price;
    readonly messagesDelivered: Price;
  };
}

/** When the ANCHORS prices were gathered. */
export const PRICES_DATE = '2026-11';

const D = PRICES_DATE;
const M = 1_000_000;
/** CloudFront and EC2 data-out bands count a TB as 1,024 GB. */
const TB = 1_024;

const SOURCE = {
  appSync: 'aws.amazon.com/appsync/pricing (ANCHORS)',
  appSyncEvents: 'AWS price list, AWSAppSync (ANCHORS)',
  cloudFrontRequests: 'AWS price list, AmazonCloudFront (ANCHORS)',
  cloudFront: 'aws.amazon.com/cloudfront/pricing (ANCHORS)',
  apiGateway: 'aws.amazon.com/api-gateway/pricing (ANCHORS)',
  lambda: 'aws.amazon.com/lambda/pricing (ANCHORS)',
  dynamoDb: 'AWS price list, AmazonDynamoDB, after the Nov 2024 cut (ANCHORS)',
  ttl: 'DynamoDB API reference, UpdateTimeToLive (ANCHORS)',
  warm: 'assumption, not in ANCHORS: check aws.amazon.com/dynamodb/pricing',
  dataTransfer: 'aws.amazon.com/ec2/pricing/on-demand, data transfer out to the internet (not in ANCHORS)',
  ivs: 'two secondary sources (ANCHORS); not checked against aws.amazon.com/ivs/pricing',
  waf: 'AWS WAF pricing page (not in ANCHORS; docs/sources/aws/waf-pricing.md)',
  cloudFrontFunctions:
    'CloudFront pricing page, CloudFront Functions (not in ANCHORS; docs/sources/aws/waf-pricing.md)',
} as const;

const NOTE = {
  usReused: 'ANCHORS gives one (US) price; reused for this region',
  pcReused:
    'ANCHORS has only x86 us-east-1; reused as is (arm64 on-demand is 20% cheaper: likely an overestimate)',
  restLaterBands: 'ANCHORS gives only the first 333M; reused (later bands are cheaper: an overestimate)',
  cloudFrontUsBands:
    'ANCHORS gives only the first 10 TB for the US; later bands from the CloudFront pricing page',
  cloudFrontJpBands: 'price from ANCHORS; the band boundary is from the CloudFront pricing page, not ANCHORS',
  warm:
    'assumed: raising warm throughput costs one hour of provisioned capacity for the raise (how tables were ' +
    'pre-warmed before warm throughput existed); the provisioned unit-hour rate is not in ANCHORS',
  dataTransfer: 'AppSync and API Gateway bill data out at EC2 internet rates; not in ANCHORS',
  ivs: 'marked unverified in ANCHORS',
  waf: 'not in ANCHORS and not read on AWS’s page here: the list price as the team gives it; the same in every region',
  cloudFrontFunctions: 'not in ANCHORS and not read on AWS’s page here: the list price as commonly quoted',
} as const;

/** AWS WAF: one price in every region (AWS's own blog says so), unverified here. */
const WAF: PriceTable['waf'] = {
  webAclMonth: {
    usd: 5,
    per: 1,
    unit: 'web ACL-months',
    source: SOURCE.waf,
    date: D,
    verified: false,
    note: NOTE.waf,
  },
  ruleMonth: {
    usd: 1,
    per: 1,
    unit: 'rule-months',
    source: SOURCE.waf,
    date: D,
    verified: false,
    note: NOTE.waf,
  },
  requests: {
    usd: 0.6,
    per: M,
    unit: 'requests inspected',
    source: SOURCE.waf,
    date: D,
    verified: false,
    note: NOTE.waf,
  },
};

const CLOUDFRONT_FUNCTIONS: Price = {
  usd: 0.1,
  per: M,
  unit: 'function invocations',
  source: SOURCE.cloudFrontFunctions,
  date: D,
  verified: false,
  note: NOTE.cloudFrontFunctions,
};

/** Every price, per region. */
/** Lambda is priced alike in both regions ANCHORS covers. */
const LAMBDA: PriceTable['lambda'] = {
  requests: { usd: 0.2, per: M, unit: 'requests', source: SOURCE.lambda, date: D, verified: true },
  durationArm64: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-s',
    source: SOURCE.lambda,
    date: D,
    verified: true,
  },
  durationX86: {
    usd: 0.0000166667,
    per: 1,
    unit: 'GB-s',
    source: SOURCE.lambda,
    date: D,
    verified: true,
  },
  provisionedConfiguredArm64: {
    usd: 0.0000041667,
    per: 1,
    unit: 'GB-s configured',
    source: SOURCE.lambda,
    date: D,
    verified: false,
    note: NOTE.pcReused,
  },
  provisionedDurationArm64: {
    usd: 0.0000097222,
    per: 1,
    unit: 'GB-s',
    source: SOURCE.lambda,
    date: D,
    verified: false,
    note: NOTE.pcReused,
  },
  provisionedConfiguredX86: {
    usd: 0.0000041667,
    per: 1,
    unit: 'GB-s configured',
    source: SOURCE.lambda,
    date: D,
    verified: true,
  },
  provisionedDurationX86: {
    usd: 0.0000097222,
    per: 1,
    unit: 'GB-s',
    source: SOURCE.lambda,
    date: D,
    verified: true,
  },
};

/** AppSync, as ANCHORS gives it (the US price page). */
const APPSYNC_US: PriceTable['appSync'] = {
  operations: {
    usd: 4,
    per: M,
    unit: 'queries/mutations',
    source: SOURCE.appSync,
    date: D,
    verified: true,
  },
  realtimeUpdates: {
    usd: 2,
    per: M,
    unit: 'real-time updates',
    source: SOURCE.appSync,
    date: D,
    verified: true,
  },
  connectionMinutes: {
    usd: 0.08,
    per: M,
    unit: 'connection-minutes',
    source: SOURCE.appSync,
    date: D,
    verified: true,
  },
  eventsOperations: {
    usd: 1,
    per: M,
    unit: 'Events operations',
    source: SOURCE.appSyncEvents,
    date: D,
    verified: true,
  },
};

/** IVS Chat: one price, unverified (ANCHORS). */
const IVS_CHAT: PriceTable['ivsChat'] = {
  messagesSent: {
    usd: 0.56,
    per: 1_000,
    unit: 'messages sent',
    source: SOURCE.ivs,
    date: D,
    verified: false,
    note: NOTE.ivs,
  },
  messagesDelivered: {
    usd: 0.008,
    per: 1_000,
    unit: 'messages delivered',
    source: SOURCE.ivs,
    date: D,
    verified: false,
    note: NOTE.ivs,
  },
};

/** A price ANCHORS gives for another region, reused here: marked unverified, with why. */
function reused(price: Price, note: string): Price {
  return { ...price, verified: false, note };
}

/** Every price of a section reused from another region. */
function reusedAll<T extends Record<string, Price>>(section: T, note: string): T {
  return Object.fromEntries(Object.entries(section).map(([k, v]) => [k, reused(v, note)])) as T;
}

export const PRICES: Readonly<Record<Region, PriceTable>> = {
  'us-east-1': {
    cloudFront: {
      httpsRequests: {
        usd: 0.01,
        per: 10_000,
        unit: 'HTTPS requests',
        source: SOURCE.cloudFrontRequests,
        date: D,
        verified: true,
      },
      dataOut: {
        per: 1,
        unit: 'GB',
        source: SOURCE.cloudFront,
        date: D,
        tiers: [
          { upTo: 10 * TB, usd: 0.085, verified: true },
          { upTo: 50 * TB, usd: 0.08, verified: false, note: NOTE.cloudFrontUsBands },
          { upTo: 150 * TB, usd: 0.06, verified: false, note: NOTE.cloudFrontUsBands },
          { upTo: 500 * TB, usd: 0.04, verified: false, note: NOTE.cloudFrontUsBands },
          { upTo: 1_024 * TB, usd: 0.03, verified: false, note: NOTE.cloudFrontUsBands },
          { upTo: 5_120 * TB, usd: 0.025, verified: false, note: NOTE.cloudFrontUsBands },
          { upTo: null, usd: 0.02, verified: false, note: NOTE.cloudFrontUsBands },
        ],
      },
      originFetch: {
        usd: 0,
        per: 1,
        unit: 'GB from AWS origins',
        source: SOURCE.cloudFront,
        date: D,
        verified: true,
      },
      functionInvocations: CLOUDFRONT_FUNCTIONS,
    },
    waf: WAF,
    apiGateway: {
      restRequests: {
        per: M,
        unit: 'REST requests',
        source: SOURCE.apiGateway,
        date: D,
        tiers: [
          { upTo: 333 * M, usd: 3.5, verified: true },
          { upTo: null, usd: 3.5, verified: false, note: NOTE.restLaterBands },
        ],
      },
      httpRequests: {
        usd: 1,
        per: M,
        unit: 'HTTP API requests',
        source: SOURCE.apiGateway,
        date: D,
        verified: true,
      },
      webSocketMessages: {
        per: M,
        unit: 'WebSocket messages',
        source: SOURCE.apiGateway,
        date: D,
        tiers: [
          { upTo: 1_000 * M, usd: 1, verified: true },
          { upTo: null, usd: 0.8, verified: true },
        ],
      },
      webSocketConnectionMinutes: {
        usd: 0.25,
        per: M,
        unit: 'connection-minutes',
        source: SOURCE.apiGateway,
        date: D,
        verified: true,
      },
    },
    lambda: LAMBDA,
    dynamoDb: {
      writeUnits: {
        usd: 0.625,
        per: M,
        unit: 'write request units',
        source: SOURCE.dynamoDb,
        date: D,
        verified: true,
      },
      readUnits: {
        usd: 0.125,
        per: M,
        unit: 'read request units',
        source: SOURCE.dynamoDb,
        date: D,
        verified: true,
      },
      ttlDeletes: { usd: 0, per: 1, unit: 'TTL deletes', source: SOURCE.ttl, date: D, verified: true },
      warmWriteUnits: {
        usd: 0.00065,
        per: 1,
        unit: 'write units/s raised',
        source: SOURCE.warm,
        date: D,
        verified: false,
        note: NOTE.warm,
      },
      warmReadUnits: {
        usd: 0.00013,
        per: 1,
        unit: 'read units/s raised',
        source: SOURCE.warm,
        date: D,
        verified: false,
        note: NOTE.warm,
      },
    },
    appSync: APPSYNC_US,
    internetDataOut: {
      per: 1,
      unit: 'GB',
      source: SOURCE.dataTransfer,
      date: D,
      tiers: [
        { upTo: 10 * TB, usd: 0.09, verified: false, note: NOTE.dataTransfer },
        { upTo: 50 * TB, usd: 0.085, verified: false, note: NOTE.dataTransfer },
        { upTo: 150 * TB, usd: 0.07, verified: false, note: NOTE.dataTransfer },
        { upTo: null, usd: 0.05, verified: false, note: NOTE.dataTransfer },
      ],
    },
    ivsChat: IVS_CHAT,
  },
  'ap-northeast-1': {
    cloudFront: {
      httpsRequests: {
        usd: 0.012,
        per: 10_000,
        unit: 'HTTPS requests',
        source: SOURCE.cloudFrontRequests,
        date: D,
        verified: true,
      },
      dataOut: {
        per: 1,
        unit: 'GB',
        source: SOURCE.cloudFront,
        date: D,
        tiers: [
          { upTo: 10 * TB, usd: 0.114, verified: true },
          { upTo: 50 * TB, usd: 0.089, verified: false, note: NOTE.cloudFrontJpBands },
          { upTo: 150 * TB, usd: 0.086, verified: false, note: NOTE.cloudFrontJpBands },
          { upTo: 500 * TB, usd: 0.084, verified: false, note: NOTE.cloudFrontJpBands },
          { upTo: 1_024 * TB, usd: 0.08, verified: false, note: NOTE.cloudFrontJpBands },
          { upTo: 5_120 * TB, usd: 0.07, verified: false, note: NOTE.cloudFrontJpBands },
          { upTo: null, usd: 0.06, verified: false, note: NOTE.cloudFrontJpBands },
        ],
      },
      originFetch: {
        usd: 0,
        per: 1,
        unit: 'GB from AWS origins',
        source: SOURCE.cloudFront,
        date: D,
        verified: true,
      },
      functionInvocations: CLOUDFRONT_FUNCTIONS,
    },
    waf: WAF,
    apiGateway: {
      restRequests: {
        per: M,
        unit: 'REST requests',
        source: SOURCE.apiGateway,
        date: D,
        tiers: [
          { upTo: 333 * M, usd: 3.5, verified: false, note: NOTE.usReused },
          { upTo: null, usd: 3.5, verified: false, note: NOTE.restLaterBands },
        ],
      },
      httpRequests: {
        usd: 1.29,
        per: M,
        unit: 'HTTP API requests',
        source: SOURCE.apiGateway,
        date: D,
        verified: true,
      },
      webSocketMessages: {
        per: M,
        unit: 'WebSocket messages',
        source: SOURCE.apiGateway,
        date: D,
        tiers: [
          { upTo: 1_000 * M, usd: 1, verified: false, note: NOTE.usReused },
          { upTo: null, usd: 0.8, verified: false, note: NOTE.usReused },
        ],
      },
      webSocketConnectionMinutes: {
        usd: 0.25,
        per: M,
        unit: 'connection-minutes',
        source: SOURCE.apiGateway,
        date: D,
        verified: false,
        note: NOTE.usReused,
      },
    },
    lambda: {
      ...LAMBDA,
      provisionedConfiguredX86: reused(LAMBDA.provisionedConfiguredX86, NOTE.pcReused),
      provisionedDurationX86: reused(LAMBDA.provisionedDurationX86, NOTE.pcReused),
    },
    dynamoDb: {
      writeUnits: {
        usd: 0.715,
        per: M,
        unit: 'write request units',
        source: SOURCE.dynamoDb,
        date: D,
        verified: true,
      },
      readUnits: {
        usd: 0.1425,
        per: M,
        unit: 'read request units',
        source: SOURCE.dynamoDb,
        date: D,
        verified: true,
      },
      ttlDeletes: { usd: 0, per: 1, unit: 'TTL deletes', source: SOURCE.ttl, date: D, verified: true },
      warmWriteUnits: {
        usd: 0.000742,
        per: 1,
        unit: 'write units/s raised',
        source: SOURCE.warm,
        date: D,
        verified: false,
        note: NOTE.warm,
      },
      warmReadUnits: {
        usd: 0.0001484,
        per: 1,
        unit: 'read units/s raised',
        source: SOURCE.warm,
        date: D,
        verified: false,
        note: NOTE.warm,
      },
    },
    appSync: reusedAll(APPSYNC_US, NOTE.usReused),
    internetDataOut: {
      per: 1,
      unit: 'GB',
      source: SOURCE.dataTransfer,
      date: D,
      tiers: [
        { upTo: 10 * TB, usd: 0.114, verified: false, note: NOTE.dataTransfer },
        { upTo: 50 * TB, usd: 0.089, verified: false, note: NOTE.dataTransfer },
        { upTo: 150 * TB, usd: 0.086, verified: false, note: NOTE.dataTransfer },
        { upTo: null, usd: 0.084, verified: false, note: NOTE.dataTransfer },
      ],
    },
    ivsChat: IVS_CHAT,
  },
};
