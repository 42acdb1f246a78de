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

/** The room listing's index partitions (lambdas/tables.ts): a channel's rooms, and every room. */
export const channelRoomsPartition = (channelId: string) => `rooms#${channelId}`;
export const ALL_ROOMS_PARTITION = 'rooms';

/** A room item's index attributes: newest first by creation time, the room id breaking ties. */
export const roomIndexKeys = (room: { roomId: string; channelId: string; createdAt: string }) => ({
  gsi1pk: channelRoomsPartition(room.channelId),
  gsi1sk: `${room.createdAt}#${room.roomId}`,
  gsi2pk: ALL_ROOMS_PARTITION,
});

/** A channel's moderation item: its bans and block list. Channel ids cannot contain `#`. */
export const channelKey = (channelId: string) => ({ pk: `channel#${channelId}`, sk: 'channel' });

/** The deployment's one NG-word list. */
export const globalNgWordsKey = { pk: 'ngwords#global', sk: 'ngwords' } as const;

/** Channel view-limit plans (ADR 0038): one partition, so the enqueuer lists them with one Query. */
export const PLANS_PARTITION = 'plans';
export const planKey = (channelId: string) => ({ pk: PLANS_PARTITION, sk: channelId });
