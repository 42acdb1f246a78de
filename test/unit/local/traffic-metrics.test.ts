import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalTrafficMetrics } from '../../../local/adapters/traffic-metrics.js';

const at = (minute: number, second = 0) => new Date(Date.UTC(2030, 0, 1, 0, minute, second));
afterEach(() => vi.unstubAllGlobals());

describe('LocalTrafficMetrics', () => {
  function stubFetch(status: number, body: unknown) {
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }
  const answer = {
    roomId: 'r-1',
    edge: { perMinute: [{ minute: at(9).toISOString(), count: 31 }] },
    realtime: { connections: 5, roomSubscriptions: 2, globalSubscriptions: 4 },
  };

  it('reads the room’s polls, exact, from the local edge’s statistics', async () => {
    const fetch = stubFetch(200, answer);

    const poll = await new LocalTrafficMetrics('http://127.0.0.1:3000').pollRequests('r-1');

    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:3000/local/stats?roomId=r-1', expect.anything());
    expect(poll).toEqual({
      scope: 'room',
      source: 'local-edge',
      perMinute: [{ minuteMs: at(9).getTime(), count: 31 }],
    });
  });

  it('reads the room’s subscriptions, exact, and the connections of the whole endpoint', async () => {
    stubFetch(200, answer);

    const realtime = await new LocalTrafficMetrics('http://127.0.0.1:3000').realtime('r-1');

    expect(realtime.subscriptions).toEqual({
      scope: 'room',
      source: 'local-appsync',
      current: 2,
      perMinute: null,
    });
    expect(realtime.connections).toMatchObject({ scope: 'deployment', current: 5, perMinute: null });
  });

  it('fails when the local runtime runs without its AppSync stand-in, answers an error, or answers another shape', async () => {
    const local = new LocalTrafficMetrics('http://127.0.0.1:3000');

    stubFetch(200, { ...answer, realtime: null });
    await expect(local.realtime('r-1')).rejects.toThrow('AppSync');
    stubFetch(503, {});
    await expect(local.pollRequests('r-1')).rejects.toThrow('503');
    stubFetch(200, { edge: { requests: {} } });
    await expect(local.pollRequests('r-1')).rejects.toThrow();
  });
});
