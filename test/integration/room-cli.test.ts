import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { runRoomCli as runCli } from '../../bin/room-cli.js';
import { scalerInvocations, scheduleCalls } from '../helpers/admin.js';
import { testStores } from '../helpers/store.js';

/**
 * `npm run room` against DynamoDB Local (the environment it is given names the table and
 * endpoint); LOCAL_CONTROL_PLANE_URL is the capture server, which records the schedules and
 * scaler runs the CLI asks for.
 */
const stores = testStores();
const cliEnv = {
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
  CONTROL_TABLE_NAME: inject('controlTable'),
  LOCAL_CONTROL_PLANE_URL: inject('captureUrl'),
};
const runRoomCli = (argv: string[], env: Record<string, string | undefined> = cliEnv) => runCli(argv, env);
const roomId = () => `cli-${randomUUID().slice(0, 8)}`;
const MINUTE = 60_000;
/** An event well past the 30-minute lead time, on whole seconds as Scheduler keeps them. */
const DAY_AFTER_TOMORROW = Math.ceil((Date.now() + 2 * 24 * 60 * MINUTE) / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
/** The environment without a local control plane: schedules would go to AWS. */
const awsEnv = () => ({ ...cliEnv, LOCAL_CONTROL_PLANE_URL: '' });

describe('npm run room -- create', () => {
  it('puts the room in the channel --channel names, where the admin listing finds it', async () => {
    const id = roomId();
    const channelId = `ch-${randomUUID().slice(0, 8)}`;

    const printed = JSON.parse(
      await runRoomCli(['create', id, '--channel', channelId, '--title', 'From the CLI']),
    );

    expect(printed.room).toMatchObject({ roomId: id, channelId, title: 'From the CLI' });
    // An unsized room has no schedules to report.
    expect(printed).not.toHaveProperty('schedules');
    expect((await stores.rooms.list({ channelIds: new Set([channelId]), limit: 10 })).rooms).toEqual([
      printed.room,
    ]);
  });

  it('puts the room in the default channel without --channel', async () => {
    const id = roomId();
    await runRoomCli(['create', id]);
    expect((await stores.rooms.get(id))?.channelId).toBe('default');
  });

  it('refuses a malformed channel id, naming it, and creates nothing', async () => {
    const id = roomId();
    await expect(runRoomCli(['create', id, '--channel', 'a#b'])).rejects.toThrow(
      /channelId: a channel id is/,
    );
    expect(await stores.rooms.get(id)).toBeUndefined();
  });

  it('creates a sized, scheduled room with its two schedules', async () => {
    const id = roomId();
    const startsAt = iso(DAY_AFTER_TOMORROW);
    const endsAt = iso(DAY_AFTER_TOMORROW + 120 * MINUTE);

    const printed = JSON.parse(
      await runRoomCli(['create', id, '--viewers', '20000', '--starts-at', startsAt, '--ends-at', endsAt]),
    );

    expect(printed.room).toMatchObject({
      roomId: id,
      expectedViewers: 20_000,
      schedule: { startsAt, endsAt },
    });
    expect(await stores.rooms.get(id)).toEqual(printed.room);
    expect(printed.schedules.created).toEqual([
      { name: `scale-up-${id}`, at: iso(DAY_AFTER_TOMORROW - 30 * MINUTE) },
      { name: `scale-down-${id}`, at: iso(DAY_AFTER_TOMORROW + 135 * MINUTE) },
    ]);
  });

  it('runs the scaler now for an event that starts within the lead time', async () => {
    const id = roomId();
    const soon = Date.now() + 10 * MINUTE;

    const printed = JSON.parse(
      await runRoomCli([
        'create',
        id,
        '--viewers',
        '5000',
        '--starts-at',
        iso(soon),
        '--ends-at',
        iso(soon + 60 * MINUTE),
      ]),
    );

    expect(printed.schedules.ranNow).toBe(true);
    expect(await scalerInvocations(id)).toEqual([
      { request: { reason: 'room-changed', roomId: id }, invocationType: 'Event' },
    ]);
    // The scale-up time has passed: only the scale-down is scheduled.
    expect((await scheduleCalls(id)).filter((c) => c.method === 'PUT').map((c) => c.name)).toEqual([
      `scale-down-${id}`,
    ]);
  });

  it('refuses to create a sized, scheduled room when schedules cannot be made, and creates nothing', async () => {
    const id = roomId();
    const startsAt = iso(DAY_AFTER_TOMORROW);
    const endsAt = iso(DAY_AFTER_TOMORROW + 60 * MINUTE);

    await expect(
      runRoomCli(['create', id, '--viewers', '100', '--starts-at', startsAt, '--ends-at', endsAt], awsEnv()),
    ).rejects.toThrow(/--schedule-group \(or SCHEDULE_GROUP_NAME\)/);
    expect(await stores.rooms.get(id)).toBeUndefined();
  });
});

describe('npm run room -- size', () => {
  /** A fresh, unsized room. */
  async function newRoom(): Promise<string> {
    const id = roomId();
    await runRoomCli(['create', id]);
    return id;
  }
  const size = (id: string, ...flags: string[]) =>
    runRoomCli(['size', id, ...flags]).then((out) => JSON.parse(out));

  it('sizes and schedules a room: scale-up 30 min before the start, scale-down 15 min after the end', async () => {
    const id = await newRoom();
    const startsAt = iso(DAY_AFTER_TOMORROW);
    const endsAt = iso(DAY_AFTER_TOMORROW + 90 * MINUTE);

    const printed = await size(id, '--viewers', '50000', '--starts-at', startsAt, '--ends-at', endsAt);

    expect(printed.room).toMatchObject({
      expectedViewers: 50_000,
      schedule: { startsAt, endsAt },
      version: 2,
    });
    expect(await stores.rooms.get(id)).toEqual(printed.room);
    expect(printed.schedules).toEqual({
      roomId: id,
      created: [
        { name: `scale-up-${id}`, at: iso(DAY_AFTER_TOMORROW - 30 * MINUTE) },
        { name: `scale-down-${id}`, at: iso(DAY_AFTER_TOMORROW + 105 * MINUTE) },
      ],
      updated: [],
      deleted: [],
      ranNow: false,
    });
    const request = { reason: 'schedule', roomId: id };
    expect(await scheduleCalls(id)).toEqual([
      { method: 'PUT', name: `scale-up-${id}`, at: iso(DAY_AFTER_TOMORROW - 30 * MINUTE), request },
      { method: 'PUT', name: `scale-down-${id}`, at: iso(DAY_AFTER_TOMORROW + 105 * MINUTE), request },
    ]);
    expect(await scalerInvocations(id)).toEqual([]);
  });

  it('moves the schedules when the start changes, keeping the end', async () => {
    const id = await newRoom();
    const endsAt = iso(DAY_AFTER_TOMORROW + 90 * MINUTE);
    await size(id, '--viewers', '50000', '--starts-at', iso(DAY_AFTER_TOMORROW), '--ends-at', endsAt);

    const later = DAY_AFTER_TOMORROW + 20 * MINUTE;
    const printed = await size(id, '--viewers', '50000', '--starts-at', iso(later));

    expect(printed.room.schedule).toEqual({ startsAt: iso(later), endsAt });
    expect(printed.room.version).toBe(3);
    expect(printed.schedules.updated).toEqual([
      { name: `scale-up-${id}`, at: iso(later - 30 * MINUTE) },
      { name: `scale-down-${id}`, at: iso(DAY_AFTER_TOMORROW + 105 * MINUTE) },
    ]);
    expect((await scheduleCalls(id)).at(-2)).toMatchObject({
      method: 'PUT',
      name: `scale-up-${id}`,
      at: iso(later - 30 * MINUTE),
    });
  });

  it('uses --lead-minutes and --tail-minutes', async () => {
    const id = await newRoom();
    const printed = await size(
      id,
      '--viewers',
      '1000',
      '--starts-at',
      iso(DAY_AFTER_TOMORROW),
      '--ends-at',
      iso(DAY_AFTER_TOMORROW + 60 * MINUTE),
      '--lead-minutes',
      '45',
      '--tail-minutes',
      '0',
    );
    expect(printed.schedules.created).toEqual([
      { name: `scale-up-${id}`, at: iso(DAY_AFTER_TOMORROW - 45 * MINUTE) },
      { name: `scale-down-${id}`, at: iso(DAY_AFTER_TOMORROW + 60 * MINUTE) },
    ]);
  });

  it('deletes the schedules, and lets the scaler release the capacity, with --viewers 0', async () => {
    const id = await newRoom();
    await size(
      id,
      '--viewers',
      '50000',
      '--starts-at',
      iso(DAY_AFTER_TOMORROW),
      '--ends-at',
      iso(DAY_AFTER_TOMORROW + 60 * MINUTE),
    );

    const printed = await size(id, '--viewers', '0');

    expect(printed.room.expectedViewers).toBe(0);
    expect(printed.schedules).toMatchObject({
      created: [],
      updated: [],
      deleted: [`scale-up-${id}`, `scale-down-${id}`],
      ranNow: true,
    });
    expect((await scheduleCalls(id)).slice(-2)).toMatchObject([
      { method: 'DELETE', name: `scale-up-${id}` },
      { method: 'DELETE', name: `scale-down-${id}` },
    ]);
    expect(await scalerInvocations(id)).toEqual([
      { request: { reason: 'room-changed', roomId: id }, invocationType: 'Event' },
    ]);
  });

  it('clears an end with an empty value, which removes the schedules', async () => {
    const id = await newRoom();
    const startsAt = iso(DAY_AFTER_TOMORROW);
    await size(
      id,
      '--viewers',
      '500',
      '--starts-at',
      startsAt,
      '--ends-at',
      iso(DAY_AFTER_TOMORROW + MINUTE),
    );

    const printed = await size(id, '--viewers', '500', '--ends-at', '');

    expect(printed.room.schedule).toEqual({ startsAt });
    expect(printed.schedules.deleted).toEqual([`scale-up-${id}`, `scale-down-${id}`]);
  });

  it('sizes a room without a schedule without touching schedules or needing their settings', async () => {
    const id = await newRoom();
    const printed = JSON.parse(await runRoomCli(['size', id, '--viewers', '3000'], awsEnv()));
    expect(printed.room.expectedViewers).toBe(3000);
    expect(printed).not.toHaveProperty('schedules');
    expect(await scheduleCalls(id)).toEqual([]);
  });

  it('refuses negative viewers, writing nothing and scheduling nothing', async () => {
    const id = await newRoom();
    await expect(
      runRoomCli([
        'size',
        id,
        '--viewers=-5',
        '--starts-at',
        iso(DAY_AFTER_TOMORROW),
        '--ends-at',
        iso(DAY_AFTER_TOMORROW + MINUTE),
      ]),
    ).rejects.toThrow(/Invalid room: expectedViewers: /);
    expect((await stores.rooms.get(id))?.version).toBe(1);
    expect(await scheduleCalls(id)).toEqual([]);
  });

  it('refuses viewers that are not a number rather than reading them as 0', async () => {
    const id = await newRoom();
    await expect(runRoomCli(['size', id, '--viewers', ''])).rejects.toThrow(/--viewers must be a number/);
    await expect(runRoomCli(['size', id, '--viewers', 'many'])).rejects.toThrow(/--viewers must be a number/);
    expect((await stores.rooms.get(id))?.version).toBe(1);
  });

  it('refuses an end before the start, writing nothing and scheduling nothing', async () => {
    const id = await newRoom();
    await expect(
      size(
        id,
        '--viewers',
        '100',
        '--starts-at',
        iso(DAY_AFTER_TOMORROW),
        '--ends-at',
        iso(DAY_AFTER_TOMORROW - MINUTE),
      ),
    ).rejects.toThrow('Invalid schedule: endsAt must be after startsAt.');
    expect((await stores.rooms.get(id))?.version).toBe(1);
    expect(await scheduleCalls(id)).toEqual([]);
  });

  it('refuses a time that is not an ISO date-time, naming the end', async () => {
    const id = await newRoom();
    await expect(size(id, '--viewers', '100', '--starts-at', 'tomorrow')).rejects.toThrow(
      /Invalid schedule: startsAt: /,
    );
    expect((await stores.rooms.get(id))?.version).toBe(1);
  });

  it('refuses an unknown room, creating it not and scheduling nothing', async () => {
    const id = roomId();
    await expect(
      size(
        id,
        '--viewers',
        '100',
        '--starts-at',
        iso(DAY_AFTER_TOMORROW),
        '--ends-at',
        iso(DAY_AFTER_TOMORROW + MINUTE),
      ),
    ).rejects.toThrow(`Room ${id} does not exist.`);
    expect(await stores.rooms.get(id)).toBeUndefined();
    expect(await scheduleCalls(id)).toEqual([]);
  });

  it('needs --viewers', async () => {
    const id = await newRoom();
    await expect(size(id, '--starts-at', iso(DAY_AFTER_TOMORROW))).rejects.toThrow(/size needs --viewers/);
  });

  it('in AWS mode names each missing scheduler setting and writes nothing', async () => {
    const id = await newRoom();
    const error = await runRoomCli(
      [
        'size',
        id,
        '--viewers',
        '100',
        '--starts-at',
        iso(DAY_AFTER_TOMORROW),
        '--ends-at',
        iso(DAY_AFTER_TOMORROW + MINUTE),
        '--schedule-group',
        'room-schedules',
      ],
      awsEnv(),
    ).catch((e: Error) => e);

    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toContain('--scaler-arn (or SCALER_FUNCTION_ARN)');
    expect(message).toContain('--scheduler-role-arn (or SCHEDULER_ROLE_ARN)');
    expect(message).not.toContain('SCHEDULE_GROUP_NAME');
    expect((await stores.rooms.get(id))?.version).toBe(1);
    expect(await scheduleCalls(id)).toEqual([]);
  });

  it('refuses a lead time longer than a day and writes nothing', async () => {
    const id = await newRoom();
    await expect(
      size(
        id,
        '--viewers',
        '100',
        '--starts-at',
        iso(DAY_AFTER_TOMORROW),
        '--ends-at',
        iso(DAY_AFTER_TOMORROW + MINUTE),
        '--lead-minutes',
        '2000',
      ),
    ).rejects.toThrow(
      '--lead-minutes / CAPACITY_LEAD_MINUTES must be whole minutes from 0 to 1440, not "2000".',
    );
    expect((await stores.rooms.get(id))?.version).toBe(1);
  });
});
