/**
 * Key design (ADR 0003). Room ids and client message ids cannot contain `#`,
 * and user ids come last, so no two keys can collide.
 */
export const commentPartition = (roomId: string, shard: number) => `room#${roomId}#${shard}`;

export const roomKey = (roomId: string) => ({ pk: `room#${roomId}`, sk: 'room' });

export const idempotencyKey = (roomId: string, clientMessageId: string, userId: string) => ({
  pk: `idem#${roomId}#${clientMessageId}#${userId}`,
  sk: 'idem',
});

export const slowModeKey = (roomId: string, userId: string) => ({
  pk: `slow#${roomId}#${userId}`,
  sk: 'slow',
});

/** An audit log's partition: `audit#room#<id>`, `audit#channel#<id>` or `audit#global`; sk = entry id. */
export const auditPartition = (scope: string) => `audit#${scope}`;
