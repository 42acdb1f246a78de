import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import { QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from '../../lambdas/adapters/dynamodb/client.js';
import type { TableNames } from '../../lambdas/adapters/viewer-stores.js';
import { LOCAL_CREDENTIALS } from '../../local/appsync/auth.js';
import { LOCAL_REGION } from '../../local/composition.js';
import { DynamoCommentStore } from '../../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../../lambdas/adapters/dynamodb/room-store.js';
import { commentPartition, roomKey } from '../../lambdas/adapters/dynamodb/keys.js';
import { createRoom, type NewRoom, type Room } from '../../lambdas/domain/rooms/room.js';

/** Where the tables are: a DynamoDB endpoint and the table names (a `LocalStack` is one). */
export interface StoreTarget {
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
}

/** The integration suite's DynamoDB Local and tables (global-setup.ts). */
export function integrationTarget(): StoreTarget {
  return {
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tables: { comments: inject('commentsTable'), control: inject('controlTable') },
  };
}

/** Direct access to the tables the functions use: the integration suite's unless given. */
export function testStores(target: StoreTarget = integrationTarget()) {
  const doc: DynamoDBDocumentClient = createDynamoClient({
    region: LOCAL_REGION,
    endpoint: target.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const commentsTable = target.tables.comments;
  const controlTable = target.tables.control;
  return {
    doc,
    tables: target.tables,
    rooms: new DynamoRoomStore(doc, controlTable),
    comments: new DynamoCommentStore(doc, commentsTable, controlTable),

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
