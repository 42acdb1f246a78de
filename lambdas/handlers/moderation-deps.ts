import { CachedModerationReader } from '../adapters/cached-moderation-reader.js';
import { DynamoModerationStore } from '../adapters/dynamodb/moderation-store.js';
import { config, doc } from './deps.js';

/** Uncached, with consistent reads: the admin API reads and changes moderation state through this. */
export const moderationStore = new DynamoModerationStore(doc, config.CONTROL_TABLE_NAME);

/**
 * The viewer paths read channel bans and blocks and the global NG words
 * through the same short cache as rooms: a change applies within its TTL.
 */
export const moderation = new CachedModerationReader(
  new DynamoModerationStore(doc, config.CONTROL_TABLE_NAME, false),
  config.ROOM_CACHE_TTL_MS,
);
