import { describe, expect, it, vi } from 'vitest';
import type { Principal, Role } from '../../../lambdas/domain/access/roles.js';
import {
  readCapacityPlan,
  readRoomCapacity,
  runScalerNow,
  type CapacityAdminDeps,
} from '../../../lambdas/domain/capacity/capacity-admin.js';
import type { ScalerRun } from '../../../lambdas/domain/capacity/ports.js';
import { BASELINE_TARGET } from '../../../lambdas/domain/capacity/target.js';
import { createRoom } from '../../../lambdas/domain/rooms/room.js';
import { InMemoryRooms, rejection } from '../fakes.js';

const principal = (roles: Role[], channels: string[] = []): Principal => ({
  userId: `u-${roles.join('-') || 'none'}`,
  displayName: 'Someone',
  roles: new Set(roles),
  channels: new Set(channels),
});
const operator = principal(['operator']);
const NOW = Date.UTC(2030, 0, 1, 12);
const aRun: ScalerRun = {
  at: new Date(NOW).toISOString(),
  dryRun: true,
  reason: 'manual',
  target: BASELINE_TARGET,
  warnings: [],
  calls: [],
  applied: 0,
  skipped: [],
};

function setup(expectedViewers = 20_000) {
  const room = {
    ...createRoom({ roomId: 'gig', title: 'Gig', channelId: 'ch-1', expectedViewers }, new Date(NOW)),
    schedule: { startsAt: '2030-01-02T10:00:00.000Z', endsAt: '2030-01-02T12:00:00.000Z' },
  };
  const rooms = Object.assign(new InMemoryRooms(room), {
    list: async () => ({ rooms: [room] }),
  });
  const run = vi.fn(async () => aRun);
  const deps: CapacityAdminDeps = {
    rooms,
    scaler: { run },
    windows: { leadTimeMs: 30 * 60_000, tailMs: 15 * 60_000 },
    region: 'ap-northeast-1',
    clock: () => NOW,
  };
  return { deps, run };
}

describe('capacity in the admin API', () => {
  it.each([
    ['a moderator of the room’s channel', principal(['moderator'], ['ch-1'])],
    ['an artist of the room’s channel', principal(['artist'], ['ch-1'])],
    ['a user in no group', principal([])],
  ])('is for operators only: refuses %s everything, whatever the channel', async (_, caller) => {
    const { deps, run } = setup();

    expect((await rejection(readRoomCapacity(deps, caller, 'gig'))).status).toBe(403);
    expect((await rejection(readCapacityPlan(deps, caller))).status).toBe(403);
    expect((await rejection(runScalerNow(deps, caller, true))).status).toBe(403);
    expect(run).not.toHaveBeenCalled();
  });

  it('shows an operator a room’s plan, priced in the deployment’s region', async () => {
    const { deps } = setup();

    const view = await readRoomCapacity(deps, operator, 'gig');

    expect(view).toMatchObject({ roomId: 'gig', planned: true, region: 'ap-northeast-1' });
    expect(view.schedules?.scaleUp.at).toBe('2030-01-02T09:30:00.000Z');
  });

  it('answers 404 for a missing room', async () => {
    const { deps } = setup();

    expect((await rejection(readRoomCapacity(deps, operator, 'nope'))).status).toBe(404);
  });

  it('shows the deployment’s plan over the windows', async () => {
    const { deps } = setup();

    const plan = await readCapacityPlan(deps, operator);

    expect(plan).toMatchObject({
      at: new Date(NOW).toISOString(),
      leadMinutes: 30,
      tailMinutes: 15,
      leftOut: [],
    });
    expect(plan.rooms.map((r) => r.roomId)).toEqual(['gig']);
    expect(plan.assumptions.length).toBeGreaterThan(0);
  });

  it('checks `live` documents against the deployment’s LIVE_COMMENT_LIMIT', async () => {
    // 100,000 viewers post 200/s at the peak: 200 × (3 s + 1.5 s) = 900 comments per document.
    const { deps } = setup(100_000);
    const raised = { ...deps, windows: { ...deps.windows, liveCommentLimit: 1_000 } };
    const truncation = (warnings: readonly { code: string }[] | undefined) =>
      warnings?.filter((w) => w.code === 'live_document_truncated');

    expect(truncation((await readRoomCapacity(deps, operator, 'gig')).warnings)).toEqual([
      expect.objectContaining({ level: 'warning', limit: 500, planned: 900 }),
    ]);
    expect(truncation((await readRoomCapacity(raised, operator, 'gig')).warnings)).toEqual([
      expect.objectContaining({ level: 'info', limit: 1_000, planned: 900 }),
    ]);
    expect(truncation((await readCapacityPlan(raised, operator)).warnings)).toEqual([
      expect.objectContaining({ level: 'info', limit: 1_000 }),
    ]);
  });

  it('runs the scaler for an operator, as the actor of the run', async () => {
    const { deps, run } = setup();

    await expect(runScalerNow(deps, operator, false)).resolves.toEqual(aRun);
    expect(run).toHaveBeenCalledWith({
      reason: 'manual',
      dryRun: false,
      actor: { userId: operator.userId, displayName: 'Someone', roles: ['operator'] },
    });
  });
});
