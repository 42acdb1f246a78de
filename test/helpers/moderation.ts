import { randomUUID } from 'node:crypto';
import { expect, inject } from 'vitest';
import { DynamoAuditStore } from '../../lambdas/adapters/dynamodb/audit-store.js';
import type { AuditEntry, AuditScope } from '../../lambdas/domain/access/audit.js';
import type { Caller } from './admin.js';
import { artistOf, moderatorOf, nobody, operator } from './admin.js';
import { liveEvent, postEvent, segmentEvent } from './events.js';
import { TEST_TOKEN_AUDIENCE, TEST_TOKEN_ISSUER, testFunctions } from './functions.js';
import { testStores } from './store.js';
import { signToken } from './tokens.js';

/** Shared by the moderation and bans integration suites. */
export const stores = testStores();

export const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A viewer posts through the real post function; answers its status and JSON body. */
export async function viewerPost(roomId: string, userId: string, text: string, clientMessageId = uid('m')) {
  const token = await signToken(inject('signingKey'), {
    sub: userId,
    name: `Viewer ${userId}`,
    issuer: TEST_TOKEN_ISSUER,
    audience: TEST_TOKEN_AUDIENCE,
  });
  const result = await testFunctions().handlers.postComment(
    postEvent(roomId, { text, clientMessageId }, { Authorization: `Bearer ${token}` }),
  );
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

/** What the poll path serves now (the functions' room and channel caches are off in these tests). */
export async function liveOf(roomId: string) {
  const result = await testFunctions().handlers.getLive(liveEvent(roomId));
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body) as {
    comments: { id: string; userId: string }[];
    bans: { userId: string; until?: string; scope: string }[];
    purges: { userId: string; before: string }[];
    tombstones: { commentId: string }[];
  };
}

export async function segmentOf(roomId: string, n: number) {
  const result = await testFunctions().handlers.getSegment(segmentEvent(roomId, n));
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body) as { comments: { id: string; userId: string }[] };
}

/** The audit log of a scope, newest first, straight from the store the dispatcher writes. */
export async function auditOf(scope: AuditScope): Promise<AuditEntry[]> {
  const log = new DynamoAuditStore(stores.doc, stores.tables.control);
  return (await log.list(scope, 100)).entries;
}

/** Every caller kind a role test covers, for a resource of `channelId`. */
export function callers(channelId: string): [string, Caller][] {
  return [
    ['operator', operator],
    ['moderator of the channel', moderatorOf(channelId)],
    ['moderator of another channel', moderatorOf(`${channelId}-other`)],
    ['artist of the channel', artistOf(channelId)],
    ['artist of another channel', artistOf(`${channelId}-other`)],
    ['no group', nobody],
  ];
}

export const CALLER_KINDS = callers('x').map(([kind]) => kind);

/** The caller of a kind, bound to `channelId` (tests make a fresh channel each, so kinds are listed first). */
export function callerFor(kind: string, channelId: string): Caller {
  return callers(channelId).find(([k]) => k === kind)![1];
}
