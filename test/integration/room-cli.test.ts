import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runRoomCli } from '../../bin/room-cli.js';
import { testStores } from '../helpers/store.js';

/** `npm run room -- create` against DynamoDB Local (the environment names the table and endpoint). */
const stores = testStores();
const roomId = () => `cli-${randomUUID().slice(0, 8)}`;

describe('npm run room -- create', () => {
  it('puts the room in the channel --channel names, where the admin listing finds it', async () => {
    const id = roomId();
    const channelId = `ch-${randomUUID().slice(0, 8)}`;

    const printed = JSON.parse(
      await runRoomCli(['create', id, '--channel', channelId, '--title', 'From the CLI']),
    );

    expect(printed).toMatchObject({ roomId: id, channelId, title: 'From the CLI' });
    expect((await stores.rooms.list({ channelIds: new Set([channelId]), limit: 10 })).rooms).toEqual([
      printed,
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
});
