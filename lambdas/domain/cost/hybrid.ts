/**
 * This product's cost: viewers poll a CloudFront-cached `live` document
 * (billed per poll, whatever the comment rate), comments are posted through
 * API Gateway → Lambda → DynamoDB, and only the rare events (artist messages)
 * are pushed over AppSync.
 */
import { LIMITS } from '../capacity/assumptions.js';
import { SCALED_FUNCTIONS } from '../capacity/target.js';
import { BYTES_PER_GB, BYTES_PER_KB, CLOUDFRONT_GBPS_PER_DISTRIBUTION } from './coefficients.js';
import { designEstimate, quotaCheck, type DesignEstimate } from './design.js';
import type { ValidCostInput } from './input.js';
import { flatLine, tieredLine, type DraftLine } from './lines.js';
import type { PriceTable } from './prices.js';
import type { EventVolumes } from './volumes.js';

/**
 * Lambda duration for `invocations`, split between provisioned instances and
 * on-demand ones. Invocations run on provisioned instances while the mean
 * concurrency fits in them (provisioned / mean of them do; the rest spill to
 * on-demand), and those are billed at the provisioned duration rate.
 */
function durationLines(
  what: string,
  path: DraftLine['path'],
  gbSeconds: number,
  provisioned: number,
  meanConcurrency: number,
  prices: PriceTable,
): DraftLine[] {
  if (provisioned <= 0) {
    return [flatLine(`Lambda duration (${what})`, path, gbSeconds, 'GB-s', prices.lambda.durationArm64)];
  }
  const onProvisioned = meanConcurrency > 0 ? Math.min(1, provisioned / meanConcurrency) : 1;
  return [
    flatLine(
      `Lambda duration on provisioned instances (${what})`,
      path,
      gbSeconds * onProvisioned,
      'GB-s',
      prices.lambda.provisionedDurationArm64,
    ),
    ...(onProvisioned < 1
      ? [
          flatLine(
            `Lambda duration spilled to on-demand (${what})`,
            path,
            gbSeconds * (1 - onProvisioned),
            'GB-s',
            prices.lambda.durationArm64,
            { note: `mean concurrency ${meanConcurrency.toFixed(1)} exceeds the ${provisioned} provisioned` },
          ),
        ]
      : []),
  ];
}

/**
 * The post path, which every design that keeps our own post API shares:
 * CloudFront (uncached behaviour, still a request), API Gateway REST, the
 * post function, one DynamoDB transaction per post.
 */
export function postPathLines(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DraftLine[] {
  const provisioned = input.capacity?.provisionedConcurrency.postComment ?? 0;
  return [
    flatLine('CloudFront requests (posts)', 'post', v.posts, 'requests', prices.cloudFront.httpsRequests),
    tieredLine('API Gateway REST (posts)', 'post', v.posts, 'requests', prices.apiGateway.restRequests),
    flatLine('Lambda requests (posts)', 'post', v.posts, 'requests', prices.lambda.requests),
    ...durationLines(
      'posts',
      'post',
      v.posts * v.postSeconds * v.memoryGb,
      provisioned,
      v.meanConcurrency.postComment,
      prices,
    ),
    flatLine(
      'DynamoDB writes (posts)',
      'post',
      v.posts * v.writeUnitsPerPost,
      'write units',
      prices.dynamoDb.writeUnits,
      {
        note: `${v.writeUnitsPerPost} units per post: one transaction, 2 units per item (ADR 0002)`,
      },
    ),
  ];
}

function receiveLines(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DraftLine[] {
  const provisioned = input.capacity?.provisionedConcurrency.getLive ?? 0;
  return [
    flatLine(
      'CloudFront requests (live polls)',
      'receive',
      v.polls,
      'requests',
      prices.cloudFront.httpsRequests,
      {
        note: `viewers × event seconds / ${input.pollSeconds} s poll`,
      },
    ),
    tieredLine(
      'CloudFront data out (live polls)',
      'receive',
      v.pollDataOutGb,
      'GB',
      prices.cloudFront.dataOut,
      {
        note: `${input.responseKb} KB per response`,
      },
    ),
    tieredLine(
      'API Gateway REST (origin polls)',
      'receive',
      v.originPolls,
      'requests',
      prices.apiGateway.restRequests,
      {
        alreadyBilled: v.posts,
        note: `${input.assumptions.edgeLocations} cache locations × one miss per poll interval (assumption)`,
      },
    ),
    flatLine('Lambda requests (origin polls)', 'receive', v.originPolls, 'requests', prices.lambda.requests),
    ...durationLines(
      'origin polls',
      'receive',
      v.originPolls * v.liveSeconds * v.memoryGb,
      provisioned,
      v.meanConcurrency.getLive,
      prices,
    ),
    flatLine(
      'DynamoDB reads (origin polls)',
      'receive',
      v.originPolls * v.readUnitsPerOriginPoll,
      'read units',
      prices.dynamoDb.readUnits,
      { note: `${v.readUnitsPerOriginPoll} units per poll: ${input.writeShards} shard(s) + the global feed` },
    ),
  ];
}

/** Every viewer holds one AppSync connection for the event: the push path's fixed part, in any design that pushes over AppSync. */
export function appSyncConnectionLines(
  input: ValidCostInput,
  v: EventVolumes,
  prices: PriceTable,
  options: { readonly note?: string } = {},
): DraftLine[] {
  return [
    flatLine('AppSync connects', 'push', input.viewers, 'connects', prices.appSync.realtimeUpdates, options),
    flatLine(
      'AppSync connection-minutes',
      'push',
      input.viewers * v.minutes,
      'connection-minutes',
      prices.appSync.connectionMinutes,
    ),
  ];
}

function pushLines(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DraftLine[] {
  const deliveries = input.viewers * v.artistMessages;
  return [
    ...appSyncConnectionLines(input, v, prices, { note: 'one connection per viewer for the event' }),
    flatLine(
      'AppSync real-time updates (artist messages)',
      'push',
      deliveries,
      'deliveries',
      prices.appSync.realtimeUpdates,
      {
        note: 'viewers × artist messages',
      },
    ),
    flatLine('AppSync publish mutations', 'push', v.artistMessages, 'mutations', prices.appSync.operations),
    tieredLine(
      'Data out (pushed messages)',
      'push',
      (deliveries * input.pushedMessageBytes) / BYTES_PER_GB,
      'GB',
      prices.internetDataOut,
      { note: `${input.pushedMessageBytes} bytes per delivery (assumption)` },
    ),
  ];
}

/** Warm throughput is charged on the raise above what a new on-demand table serves anyway. */
function capacityLines(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DraftLine[] {
  const capacity = input.capacity;
  if (!capacity) return [];
  const instances = SCALED_FUNCTIONS.reduce((sum, fn) => sum + capacity.provisionedConcurrency[fn], 0);
  const hours = capacity.hours ?? input.hours;
  const lines = [
    flatLine(
      'Lambda provisioned concurrency',
      'capacity',
      instances * v.memoryGb * hours * 3_600,
      'GB-s configured',
      prices.lambda.provisionedConfiguredArm64,
      {
        note: `${SCALED_FUNCTIONS.map((fn) => `${fn} ${capacity.provisionedConcurrency[fn]}`).join(', ')} for ${Number(hours.toFixed(2))} h`,
      },
    ),
  ];
  // Each table is charged for its raise above what a new on-demand table serves: an upper bound,
  // since a table that has served more traffic before is warmer already.
  const warm = Object.values(capacity.warmThroughput ?? {});
  const raised = (units: number, initial: number) => Math.max(0, units - initial);
  const writes = warm.reduce(
    (sum, t) => sum + raised(t.writeUnitsPerSecond, LIMITS.dynamoDbOnDemandInitialWriteUnits.value),
    0,
  );
  const reads = warm.reduce(
    (sum, t) => sum + raised(t.readUnitsPerSecond, LIMITS.dynamoDbOnDemandInitialReadUnits.value),
    0,
  );
  if (writes > 0) {
    lines.push(
      flatLine(
        'DynamoDB warm throughput (writes)',
        'capacity',
        writes,
        'units/s raised',
        prices.dynamoDb.warmWriteUnits,
        {
          note: `above the ${LIMITS.dynamoDbOnDemandInitialWriteUnits.value} units/s a new on-demand table serves`,
        },
      ),
    );
  }
  if (reads > 0) {
    lines.push(
      flatLine(
        'DynamoDB warm throughput (reads)',
        'capacity',
        reads,
        'units/s raised',
        prices.dynamoDb.warmReadUnits,
        {
          note: `above the ${LIMITS.dynamoDbOnDemandInitialReadUnits.value} units/s a new on-demand table serves`,
        },
      ),
    );
  }
  return lines;
}

/**
 * Edge protection (ADR 0031): WAF on the API stage inspects only what reaches the origin — posts and
 * the cache's misses, never the polls the cache answers — so its per-request lines are small. The
 * CloudFront Function that gives the rate rule the viewer's address runs on posts only. WAF's
 * monthly fees (a web ACL and WAF_RULE_COUNT rules, about $8 a month whatever the events) are the
 * deployment's, not an event's, and are left out here. (`-c waf=false` drops all of it.)
 */
function firewallLines(v: EventVolumes, prices: PriceTable): DraftLine[] {
  return [
    flatLine('WAF requests inspected (posts)', 'post', v.posts, 'requests', prices.waf.requests),
    flatLine(
      'WAF requests inspected (origin polls)',
      'receive',
      v.originPolls,
      'requests',
      prices.waf.requests,
      {
        note: 'cache misses only: the polls CloudFront answers never reach the web ACL',
      },
    ),
    flatLine(
      'CloudFront Functions (posts: viewer address for WAF)',
      'post',
      v.posts,
      'invocations',
      prices.cloudFront.functionInvocations,
    ),
  ];
}

export function hybridEstimate(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DesignEstimate {
  const viewerRequestsPerSecond = input.viewers / input.pollSeconds;
  return designEstimate(
    'hybrid',
    'hybrid (this product)',
    'viewers poll a CloudFront-cached live document; only artist messages are pushed over AppSync',
    [
      ...receiveLines(input, v, prices),
      ...postPathLines(input, v, prices),
      ...firewallLines(v, prices),
      ...pushLines(input, v, prices),
      ...capacityLines(input, v, prices),
    ],
    [
      quotaCheck(
        'CloudFront requests',
        viewerRequestsPerSecond + input.commentsPerSecond,
        LIMITS.cloudFrontRequestsPerSecond,
      ),
      quotaCheck(
        'CloudFront bandwidth',
        (viewerRequestsPerSecond * input.responseKb * BYTES_PER_KB * 8) / 1e9,
        {
          value: CLOUDFRONT_GBPS_PER_DISTRIBUTION,
          unit: 'Gbit/s per distribution',
          source: 'ANCHORS.md; CloudFront DeveloperGuide cloudfront-limits',
        },
      ),
      quotaCheck(
        'API Gateway requests',
        input.commentsPerSecond + v.originPolls / v.seconds,
        LIMITS.apiGatewayAccountRate,
      ),
      // One artist message goes to every viewer at once.
      quotaCheck(
        'AppSync outbound messages (one artist message)',
        input.viewers,
        LIMITS.appSyncOutboundMessagesPerSecond,
      ),
    ],
  );
}
