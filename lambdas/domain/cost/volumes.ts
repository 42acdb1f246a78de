/**
 * How much of everything one event makes: requests, bytes, invocations,
 * units. Every design's lines price these; nothing here knows a price.
 */
import { BYTES_PER_GB, BYTES_PER_KB, FUNCTION_MEMORY_MB } from './coefficients.js';
import type { ValidCostInput } from './input.js';
import { liveReadUnitsPerOriginCall } from '../capacity/live-reads.js';
import { itemsPerSecond } from './live-response.js';

export interface EventVolumes {
  readonly seconds: number;
  readonly minutes: number;
  /** `live` polls viewers make (what CloudFront answers). */
  readonly polls: number;
  /** Accepted comments. */
  readonly posts: number;
  readonly artistMessages: number;
  /** Comments and artist messages: what a push design delivers to every viewer. */
  readonly messages: number;
  /** `live` requests reaching API Gateway: one per fetching cache location per interval. */
  readonly originPolls: number;
  /** GB CloudFront sends for the polls. */
  readonly pollDataOutGb: number;
  readonly memoryGb: number;
  /** Function duration per invocation, in seconds. */
  readonly postSeconds: number;
  readonly liveSeconds: number;
  readonly writeUnitsPerPost: number;
  readonly readUnitsPerOriginPoll: number;
  /** Mean concurrent executions (Little's law), to split invocations between provisioned and on-demand. */
  readonly meanConcurrency: { readonly postComment: number; readonly getLive: number };
}

export function eventVolumes(input: ValidCostInput): EventVolumes {
  const a = input.assumptions;
  const seconds = input.hours * 3_600;
  const polls = (input.viewers * seconds) / input.pollSeconds;
  const posts = input.commentsPerSecond * seconds;
  const artistMessages = input.artistMessagesPerMinute * (seconds / 60);
  // A location misses only when a viewer asks it: never more locations than viewers (as the plan counts).
  const fetchingLocations = Math.min(a.edgeLocations, input.viewers) * a.originFetchesPerLocationPerInterval;
  const originPolls = Math.min(polls, (fetchingLocations * seconds) / input.pollSeconds);
  const postSeconds = a.postHandlerMs / 1_000;
  const liveSeconds = a.liveHandlerMs / 1_000;
  return {
    seconds,
    minutes: seconds / 60,
    polls,
    posts,
    artistMessages,
    messages: posts + artistMessages,
    originPolls,
    pollDataOutGb: (polls * input.responseKb * BYTES_PER_KB) / BYTES_PER_GB,
    memoryGb: FUNCTION_MEMORY_MB / 1_024,
    postSeconds,
    liveSeconds,
    writeUnitsPerPost: a.commentsWriteUnitsPerPost + a.controlWriteUnitsPerPost,
    // Each origin poll reads its window from every write shard, plus the global feed.
    readUnitsPerOriginPoll: liveReadUnitsPerOriginCall(
      { itemsPerSecond: itemsPerSecond(input), pollSeconds: input.pollSeconds, shards: input.writeShards },
      a,
    ),
    meanConcurrency: {
      postComment: input.commentsPerSecond * postSeconds,
      getLive: (originPolls / seconds) * liveSeconds,
    },
  };
}
