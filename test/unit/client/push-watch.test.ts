import { describe, expect, it } from 'vitest';
import { PushWatch } from '../../../client/push-watch.js';

describe('PushWatch', () => {
  it('flags an event the poll showed and the push never delivered, once its grace has passed', () => {
    const watch = new PushWatch(5_000);
    watch.subscribed(0);

    watch.poll('item a', 10_000);

    expect(watch.overdue(14_999)).toBe(0);
    expect(watch.overdue(15_000)).toBe(1);
    expect(watch.overdue(20_000)).toBe(0);
  });

  it('does not flag an event the push delivered, before or after the poll showed it', () => {
    const watch = new PushWatch(5_000);
    watch.subscribed(0);

    watch.push('item a');
    watch.poll('item a', 10_000);
    watch.poll('delete b', 10_000);
    watch.push('delete b');

    expect(watch.overdue(60_000)).toBe(0);
  });

  it('expects nothing while unsubscribed, nor events from before the subscription', () => {
    const watch = new PushWatch(5_000);

    watch.poll('item a', 10_000);
    watch.subscribed(20_000);
    watch.poll('item b', 19_000);
    watch.poll('item c', 20_500);

    expect(watch.overdue(60_000)).toBe(0);
  });

  it('forgets what was pending when the subscription drops', () => {
    const watch = new PushWatch(5_000);
    watch.subscribed(0);
    watch.poll('item a', 10_000);

    watch.subscribed(undefined);

    expect(watch.overdue(60_000)).toBe(0);
  });
});
