import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../../lambdas/adapters/dynamodb/room-store.js';
import { commentPartition, roomKey } from '../../lambdas/adapters/dynamodb/keys.js';
import { createRoom, type NewRoom, type Room } from '../../lambdas/domain/rooms/room.js';

/** Direct access to the test tables (named by the environment the handlers read too). */
export function testStores() {
  // The SDK's document client for looking at the tables directly, beside the functions' own client.
  const doc: DynamoDBDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const db = createDynamoClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
  });
  const commentsTable = process.env.COMMENTS_TABLE_NAME!;
  const controlTable = process.env.CONTROL_TABLE_NAME!;
  return {
    doc,
    db,
    rooms: new DynamoRoomStore(db, controlTable),
    comments: new DynamoCommentStore(db, commentsTable, controlTable),

    /** A new room with a unique id, stored. */
    async room(input: Partial<NewRoom> & { createdAt?: Date; status?: Room['status'] } = {}): Promise<Room> {
      const room = {
        ...createRoom(
          {
            roomId: input.roomId ?? `r-${randomUUID().slice(0, 12)}`,
            title: input.title ?? 'Test room',
            ...input,
          },
          input.createdAt ?? new Date(),
        ),
        ...(input.status ? { status: input.status } : {}),
      };
      await this.rooms.create(room);
      return room;
    },

    async setStatus(roomId: string, status: Room['status']): Promise<void> {
      await doc.send(
        new UpdateCommand({
          TableName: controlTable,
          Key: roomKey(roomId),
          UpdateExpression: 'SET #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    },

    /** Every stored comment item of a room, across `shards` shards. */
    async commentItems(roomId: string, shards: number): Promise<Record<string, unknown>[]> {
      const pages = await Promise.all(
        Array.from({ length: shards }, (_, shard) =>
          doc.send(
            new QueryCommand({
              TableName: commentsTable,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': commentPartition(roomId, shard) },
            }),
          ),
        ),
      );
      return pages.flatMap((p) => p.Items ?? []);
    },

    /** Every control item that belongs to a room other than the room itself (idempotency, slow mode). */
    async controlItems(roomId: string): Promise<Record<string, unknown>[]> {
      const { Items = [] } = await doc.send(
        new ScanCommand({ TableName: controlTable, ConsistentRead: true }),
      );
      return Items.filter((i) => String(i.pk).includes(`#${roomId}#`));
    },
  };
}

let seeded = 0;

/** Stores a comment created at `atMs` on `shard`, through the same store the post function uses. */
export async function seedComment(
  stores: ReturnType<typeof testStores>,
  room: Room,
  atMs: number,
  shard = 0,
  text = `comment ${++seeded}`,
) {
  const comment = {
    // Not the monotonic factory: seeded comments may lie in the past of earlier ones.
    id: ulid(atMs),
    roomId: room.roomId,
    kind: 'comment' as const,
    userId: `user-${seeded}`,
    displayName: 'Tester',
    text,
    createdAt: new Date(atMs).toISOString(),
  };
  await stores.comments.create({
    comment,
    shard,
    clientMessageId: `seed-${++seeded}`,
    expiresAtSec: Math.ceil(Date.now() / 1000) + 3600,
  });
  return comment;
}
