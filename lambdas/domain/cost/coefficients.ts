/**
 * Numbers only the cost model needs. The workload figures it shares with the
 * capacity plan (handler durations, write/read units, edge locations) come
 * from ../capacity/assumptions.ts, so both answer from the same coefficients.
 */

/** Memory of every chat function, as CDK deploys them (lambdas/routes.ts). */
export { FUNCTION_MEMORY_MB } from '../../routes.js';

/** Bytes in a KB for response sizes (binary, as the `--response-kb` flag means). */
export const BYTES_PER_KB = 1_024;

/**
 * Bytes in a billed GB. AWS bills data transfer in GB of 2^30 bytes; with it
 * the ANCHORS worked example's CloudFront share (89%) comes out exact.
 */
export const BYTES_PER_GB = 1_024 ** 3;

/**
 * Size of one message pushed to one subscriber: the GraphQL `data` frame with
 * one comment (ids, time, name, up to 200 code points of text) in AppSync's
 * WebSocket envelope. An *assumption*; it only prices data out on the push
 * alternatives and the hybrid's artist messages.
 */
export const PUSHED_MESSAGE_BYTES = 512;

/**
 * API Gateway WebSocket fan-out (an alternative design, not built): a Lambda
 * reads the room's connection ids from DynamoDB and calls PostToConnection for
 * each. One invocation handles this many connections of one message. An
 * *assumption*.
 */
export const WEBSOCKET_CONNECTIONS_PER_FANOUT_INVOCATION = 1_000;

/**
 * Lambda time per PostToConnection call when a fan-out invocation keeps about
 * 100 calls of ~20 ms in flight. An *assumption*: it only sizes the fan-out
 * function's small share of that alternative.
 */
export const WEBSOCKET_FANOUT_MS_PER_DELIVERY = 0.2;

/** Stored size of one connection id item the fan-out reads. An *assumption*. */
export const WEBSOCKET_CONNECTION_ITEM_BYTES = 100;

/** CloudFront bandwidth per distribution, in Gbit/s (ANCHORS "Quotas": 150 Gbps; CloudFront cloudfront-limits). */
export const CLOUDFRONT_GBPS_PER_DISTRIBUTION = 150;

/** IVS Chat connections per account (ANCHORS "Quotas": IVS Chat service quotas). */
export const IVS_CHAT_CONNECTIONS_PER_ACCOUNT = 50_000;

/** IVS Chat messages per second per room (ANCHORS "Quotas": IVS Chat CreateRoom). */
export const IVS_CHAT_ROOM_MESSAGES_PER_SECOND = 100;

/**
 * Rules of the API stage's web ACL (lib/constructs/api-firewall.ts, ADR 0031): the posts rate rule and
 * two AWS managed rule groups, each billed as one rule. A CDK test holds the web ACL to this count.
 */
export const WAF_RULE_COUNT = 3;
