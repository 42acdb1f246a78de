import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalControlPlane, LocalControlPlaneError } from '../../../local/control-plane.js';
import { LocalSchedules } from '../../../local/schedules.js';

const api = (operation: string) => ({ service: 'lambda' as const, operation, input: { FunctionName: 'x' } });

describe('LocalControlPlane', () => {
  it('starts as CDK deploys: nothing provisioned, the baseline throttle, on-demand starting throughput', () => {
    expect(new LocalControlPlane().state()).toEqual({
      provisionedConcurrency: { postComment: 0, getLive: 0, getSegment: 0 },
      warmThroughput: {
        comments: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
        control: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
      },
      stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
      routeThrottling: {},
    });
  });

  it('applies each call as AWS would and records it, in order', () => {
    const plane = new LocalControlPlane(() => Date.parse('2030-01-01T00:00:00Z'));
    const route = 'POST /v1/rooms/{roomId}/comments' as const;
    plane.apply([
      {
        change: { kind: 'provisioned-concurrency.set', function: 'getLive', from: 0, to: 7 },
        api: api('Put'),
      },
      {
        change: { kind: 'route-throttle.set', route, from: null, to: { rateLimit: 300, burstLimit: 150 } },
        api: api('UpdateStage'),
      },
      {
        change: {
          kind: 'stage-throttle.set',
          from: { rateLimit: 1_000, burstLimit: 500 },
          to: { rateLimit: 3_000, burstLimit: 1_500 },
        },
        api: api('UpdateStage'),
      },
    ]);
    const state = plane.apply([
      {
        change: { kind: 'provisioned-concurrency.remove', function: 'getLive', from: 7 },
        api: api('Delete'),
      },
      {
        change: { kind: 'route-throttle.remove', route, from: { rateLimit: 300, burstLimit: 150 } },
        api: api('UpdateStage'),
      },
    ]);
    expect(state.provisionedConcurrency.getLive).toBe(0);
    expect(state.routeThrottling).toEqual({});
    expect(state.stageThrottling).toEqual({ rateLimit: 3_000, burstLimit: 1_500 });
    expect(plane.calls().map((c) => c.change.kind)).toEqual([
      'provisioned-concurrency.set',
      'route-throttle.set',
      'stage-throttle.set',
      'provisioned-concurrency.remove',
      'route-throttle.remove',
    ]);
    expect(plane.calls()[0]?.at).toBe('2030-01-01T00:00:00.000Z');
  });

  it('raises warm throughput, and refuses to lower it without recording anything', () => {
    const plane = new LocalControlPlane();
    const from = { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 };
    const to = { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 9_000 };
    plane.apply([
      { change: { kind: 'warm-throughput.raise', table: 'comments', from, to }, api: api('UpdateTable') },
    ]);
    expect(plane.state().warmThroughput.comments).toEqual(to);
    expect(() =>
      plane.apply([
        {
          change: { kind: 'warm-throughput.raise', table: 'comments', from: to, to: from },
          api: api('UpdateTable'),
        },
      ]),
    ).toThrow(LocalControlPlaneError);
    expect(plane.state().warmThroughput.comments).toEqual(to);
    expect(plane.calls()).toHaveLength(1);
  });
});

describe('LocalSchedules', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2030-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  const at = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('fires a schedule at its time with its input, then forgets it', async () => {
    const fire = vi.fn(async () => undefined);
    const schedules = new LocalSchedules(fire);
    expect(schedules.put('scale-up-a', at(5_000), { reason: 'schedule', roomId: 'a' })).toBe('created');

    await vi.advanceTimersByTimeAsync(4_999);
    expect(fire).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fire).toHaveBeenCalledWith({ reason: 'schedule', roomId: 'a' });
    expect(schedules.list()).toEqual([]);
    expect(schedules.fired).toEqual([{ name: 'scale-up-a', at: at(0), firedAt: at(0), outcome: 'ok' }]);
  });

  it('moves a schedule put again, and a deleted one never fires', async () => {
    const fire = vi.fn(async () => undefined);
    const schedules = new LocalSchedules(fire);
    schedules.put('up', at(1_000), { n: 1 });
    expect(schedules.put('up', at(3_000), { n: 2 })).toBe('updated');
    schedules.put('down', at(2_000), {});
    expect(schedules.delete('down')).toBe(true);
    expect(schedules.delete('down')).toBe(false);

    await vi.advanceTimersByTimeAsync(2_500);
    expect(fire).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(fire).toHaveBeenCalledWith({ n: 2 });
  });

  it('waits past the longest timer delay (about 24.8 days) for far schedules', async () => {
    const fire = vi.fn(async () => undefined);
    const schedules = new LocalSchedules(fire);
    const thirtyDays = 30 * 24 * 3600 * 1000;
    schedules.put('far', at(thirtyDays), {});
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(fire).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(thirtyDays - 2 ** 31);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('records a run that failed', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const schedules = new LocalSchedules(async () => {
      throw new Error('scaler down');
    });
    schedules.put('up', at(10), {});
    await vi.advanceTimersByTimeAsync(10);
    expect(schedules.fired[0]).toMatchObject({ name: 'up', outcome: 'failed', error: 'scaler down' });
    errors.mockRestore();
  });
});
