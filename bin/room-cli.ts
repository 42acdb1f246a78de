import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { createRoom, DEFAULT_CHANNEL_ID, RoomSettings } from '../lambdas/domain/room.js';
import { dynamoClient, settingsFlags } from './cli-support.js';

export const ROOM_USAGE = `Usage: npm run room -- <command> <roomId> [options]

Commands
  create <roomId>   create an open room
  get <roomId>      print a room as JSON

Options for create
  --title <text>            room title (default: the room id)
  --channel <id>            the channel the room belongs to (default ${DEFAULT_CHANNEL_ID})
  --slow-mode <seconds>     seconds between two comments of one user (default 0: off)
  --max-length <n>          longest comment in characters (default 200)
  --poll-seconds <n>        poll interval and CDN cache lifetime of live (default 3)
  --segment-seconds <n>     segment length, fixed once created (default 10)
  --ng-words <a,b,…>        words comments may not contain (matched after width/case folding)
  --shards <n>              write shards (default 1)

Where
  --table <name>            control table (default $CONTROL_TABLE_NAME, else local-ControlTable)
  --endpoint <url>          DynamoDB endpoint (default $AWS_ENDPOINT_URL_DYNAMODB, else AWS;
                            for npm start use http://127.0.0.1:8000)`;

/** Runs the room CLI; returns what it prints. Throws an Error whose message is for the user. */
export async function runRoomCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      channel: { type: 'string' },
      'slow-mode': { type: 'string' },
      'max-length': { type: 'string' },
      'poll-seconds': { type: 'string' },
      'ng-words': { type: 'string' },
      'segment-seconds': { type: 'string' },
      shards: { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
    },
  });
  const [command, roomId] = positionals;
  if (!command || !roomId || positionals.length > 2) throw new Error(ROOM_USAGE);

  const endpoint = values.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const client = dynamoClient(endpoint);
  const rooms = new DynamoRoomStore(
    createDocumentClient(client),
    values.table ?? env.CONTROL_TABLE_NAME ?? 'local-ControlTable',
  );
  try {
    switch (command) {
      case 'create': {
        const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
        const settings = settingsFlags(values);
        const room = createRoom(
          {
            roomId,
            channelId: values.channel ?? DEFAULT_CHANNEL_ID,
            title: values.title ?? roomId,
            settings: RoomSettings.parse(settings),
            shards: num(values.shards) ?? 1,
          },
          new Date(),
        );
        if (!(await rooms.create(room))) throw new Error(`Room ${roomId} exists already.`);
        return JSON.stringify(room, null, 2);
      }
      case 'get': {
        const room = await rooms.get(roomId);
        if (!room) throw new Error(`Room ${roomId} does not exist.`);
        return JSON.stringify(room, null, 2);
      }
      default:
        throw new Error(`Unknown command "${command}".\n\n${ROOM_USAGE}`);
    }
  } catch (error) {
    if (error instanceof ZodError) {
      throw new Error(
        `Invalid room: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}
