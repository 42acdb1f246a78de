import { CachedRoomReader } from '../adapters/cached-room-reader.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { ViewerTokenVerifier } from '../adapters/viewer-tokens.js';
import { loadConfig } from '../config.js';

/**
 * Module-scope singletons, created once per function instance at cold start
 * and reused by every invocation.
 */
export const config = loadConfig();
export const doc = createDynamoClient({
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
});
/** Uncached: the admin API reads and writes rooms through this (versions must be current). */
export const roomStore = new DynamoRoomStore(doc, config.CONTROL_TABLE_NAME);
/** The viewer paths read rooms through a short cache (settings and bans apply within its TTL). */
export const rooms = new CachedRoomReader(roomStore, config.ROOM_CACHE_TTL_MS);
export const comments = new DynamoCommentStore(doc, config.COMMENTS_TABLE_NAME, config.CONTROL_TABLE_NAME);
export const clock = () => Date.now();

let verifier: ViewerTokenVerifier | undefined;
/** Only the post function needs the token verifier; it is built on first use. */
export function viewerTokens(): ViewerTokenVerifier {
  verifier ??= ViewerTokenVerifier.fromJwksUrl(
    config.VIEWER_TOKEN_JWKS_URL,
    config.VIEWER_TOKEN_ISSUER,
    config.VIEWER_TOKEN_AUDIENCE,
  );
  return verifier;
}
