import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { scalingWindow, syncRoomSchedules, type ScheduleSync } from '../lambdas/domain/capacity/schedules.js';
import type { RoomPatch } from '../lambdas/domain/rooms/ports.js';
import {
  createRoom,
  DEFAULT_CHANNEL_ID,
  Room,
  RoomSchedule,
  RoomSettings,
} from '../lambdas/domain/rooms/room.js';
import {
  dynamoClient,
  numberFlag,
  scheduleControl,
  settingsFlags,
  type ScheduleFlags,
} from './cli-support.js';

export const ROOM_USAGE = `Usage: npm run room -- <command> <roomId> [options]

Commands
  create <roomId>   create an open room
  get <roomId>      print a room as JSON
  size <roomId> --viewers <n> [--starts-at <ISO>] [--ends-at <ISO>]
                    set the viewers the room expects and when its event runs, then schedule its
                    capacity: the scaler runs a lead time before the start and a tail after the end
                    (--viewers 0 un-sizes the room and deletes its schedules)

create and size print {room, schedules}; schedules are left out when the room wants no capacity.

Options for create
  --title <text>            room title (default: the room id)
  --channel <id>            the channel the room belongs to (default ${DEFAULT_CHANNEL_ID})
  --slow-mode <seconds>     seconds between two comments of one user (default 0: off)
  --max-length <n>          longest comment in characters (default 200)
  --poll-seconds <n>        poll interval and CDN cache lifetime of live (default 3)
  --segment-seconds <n>     segment length, fixed once created (default 10)
  --ng-words <a,b,…>        words comments may not contain (matched after width/case folding)
  --shards <n>              write shards (default 1)
  --viewers <n>             peak concurrent viewers expected (default 0: not sized)
  --starts-at <ISO>         when the event starts, in UTC, e.g. 2025-06-01T10:00:00Z
  --ends-at <ISO>           when it ends (after the start)

Options for size
  --viewers <n>             peak concurrent viewers expected (required; 0 un-sizes)
  --starts-at <ISO>         new start, in UTC; "" clears it (other ends are kept as they are)
  --ends-at <ISO>           new end; "" clears it

Where
  --table <name>            control table (default $CONTROL_TABLE_NAME, else local-ControlTable)
  --endpoint <url>          DynamoDB endpoint (default $AWS_ENDPOINT_URL_DYNAMODB, else AWS;
                            for npm start use http://127.0.0.1:8000)

Where schedules go (only when a sized, scheduled room is created or changed)
  --control-plane <url>     the local runtime (default $LOCAL_CONTROL_PLANE_URL; for npm start use
                            http://127.0.0.1:3000); without it, EventBridge Scheduler and Lambda:
  --schedule-group <name>   schedule group (default $SCHEDULE_GROUP_NAME)
  --scaler-arn <arn>        scaler function (default $SCALER_FUNCTION_ARN)
  --scheduler-role-arn <arn>  role Scheduler invokes it with (default $SCHEDULER_ROLE_ARN)
  --lead-minutes <n>        capacity in place this long before the start (default $CAPACITY_LEAD_MINUTES, else 30)
  --tail-minutes <n>        and kept this long after the end (default $CAPACITY_TAIL_MINUTES, else 15)`;

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
      viewers: { type: 'string' },
      'starts-at': { type: 'string' },
      'ends-at': { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
      'control-plane': { type: 'string' },
      'schedule-group': { type: 'string' },
      'scaler-arn': { type: 'string' },
      'scheduler-role-arn': { type: 'string' },
      'lead-minutes': { type: 'string' },
      'tail-minutes': { type: 'string' },
    },
  });
  const [command, roomId] = positionals;
  if (!command || !roomId || positionals.length > 2) throw new Error(ROOM_USAGE);

  const endpoint = values.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const doc = dynamoClient(endpoint, env.AWS_REGION);
  const rooms = new DynamoRoomStore(doc, values.table ?? env.CONTROL_TABLE_NAME ?? 'local-ControlTable');
  try {
    const viewers = values.viewers === undefined ? undefined : numberFlag('viewers', values.viewers);
    switch (command) {
      case 'create': {
        const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
        const settings = settingsFlags(values);
        // An empty end means "none" here: a new room has nothing to clear.
        const schedule = {
          ...(values['starts-at'] ? { startsAt: values['starts-at'] } : {}),
          ...(values['ends-at'] ? { endsAt: values['ends-at'] } : {}),
        };
        const room = createRoom(
          {
            roomId,
            channelId: values.channel ?? DEFAULT_CHANNEL_ID,
            title: values.title ?? roomId,
            settings: RoomSettings.parse(settings),
            schedule,
            ...(viewers !== undefined ? { expectedViewers: viewers } : {}),
            shards: num(values.shards) ?? 1,
          },
          new Date(),
        );
        return await writeAndSchedule(undefined, room, values, env, async () => {
          if (!(await rooms.create(room))) throw new Error(`Room ${roomId} exists already.`);
          return room;
        });
      }
      case 'get': {
        const room = await rooms.get(roomId);
        if (!room) throw new Error(`Room ${roomId} does not exist.`);
        return JSON.stringify(room, null, 2);
      }
      case 'size': {
        if (viewers === undefined) throw new Error(`size needs --viewers <n>.\n\n${ROOM_USAGE}`);
        const before = await rooms.get(roomId);
        if (!before) throw new Error(`Room ${roomId} does not exist.`);
        const patch: RoomPatch = {
          expectedViewers: viewers,
          schedule: mergeSchedule(before.schedule, values['starts-at'], values['ends-at']),
        };
        const checked = Room.safeParse({ ...before, ...patch });
        if (!checked.success) throw checked.error;
        return await writeAndSchedule(before, checked.data, values, env, async () => {
          const result = await rooms.update(roomId, patch, before.version, new Date().toISOString());
          if (result === 'not-found') throw new Error(`Room ${roomId} does not exist.`);
          if (result === 'stale') {
            throw new Error(
              `Room ${roomId} changed meanwhile (it is no longer at version ${before.version}); run again.`,
            );
          }
          return result;
        });
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
    doc.destroy();
  }
}

/** A wanted capacity window, whatever the lead and tail: they move it, never remove it. */
const wantsCapacity = (room: Room) => scalingWindow(room, { leadTimeMs: 0, tailMs: 0 }) !== undefined;

/**
 * Writes a created or changed room, then makes its schedules match it, as the
 * admin API does after POST and PATCH (lambdas/handlers/admin/room-schedules.ts).
 * The schedule adapters are chosen first, so a missing setting stops the run
 * before anything is written; a room that wanted no capacity and wants none
 * touches no schedules. Prints `{room, schedules}`.
 */
async function writeAndSchedule(
  before: Room | undefined,
  planned: Room,
  flags: ScheduleFlags,
  env: Record<string, string | undefined>,
  write: () => Promise<Room>,
): Promise<string> {
  const control =
    wantsCapacity(planned) || (before !== undefined && wantsCapacity(before))
      ? scheduleControl(flags, env)
      : undefined;
  try {
    const room = await write();
    let schedules: ScheduleSync | undefined;
    if (control) {
      try {
        schedules = await syncRoomSchedules(control.deps, room, Date.now());
      } catch (error) {
        throw new Error(
          `Room ${room.roomId} was saved (version ${room.version}), but its capacity schedules could not be updated (${(error as Error).message}); run \`npm run room -- size ${room.roomId} --viewers ${room.expectedViewers}\` to retry.`,
        );
      }
    }
    return JSON.stringify({ room, ...(schedules ? { schedules } : {}) }, null, 2);
  } finally {
    control?.close();
  }
}

/** The schedule with the ends given replaced ("" clears one), as the admin API's PATCH merges it. */
function mergeSchedule(
  current: RoomSchedule,
  startsAt: string | undefined,
  endsAt: string | undefined,
): RoomSchedule {
  const merged: RoomSchedule = { ...current };
  for (const [end, value] of [
    ['startsAt', startsAt],
    ['endsAt', endsAt],
  ] as const) {
    if (value === '') delete merged[end];
    else if (value !== undefined) merged[end] = value;
  }
  const checked = RoomSchedule.safeParse(merged);
  if (!checked.success) {
    throw new Error(
      `Invalid schedule: ${checked.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')}.`,
    );
  }
  return checked.data;
}
