import { describe, expect, it } from 'vitest';
import { FeedState } from '../../../client/feed-state.js';
import type { FeedItem } from '../../../client/types.js';

const item = (id: string, over: Partial<FeedItem> = {}): FeedItem => ({
  id,
  roomId: 'r',
  kind: 'comment',
  userId: 'u1',
  displayName: 'U',
  text: `text ${id}`,
  createdAt: `2026-12-07T00:00:0${id.at(-1)}.000Z`,
  ...over,
});
const ids = (items: readonly FeedItem[]) => items.map((i) => i.id);

describe('FeedState', () => {
  it('returns each new item once, in id order, whichever batch brings it again', () => {
    const feed = new FeedState();

    const first = feed.add([item('03'), item('01')]);
    const second = feed.add([item('02'), item('03'), item('01')]);

    expect(ids(first)).toEqual(['01', '03']);
    expect(ids(second)).toEqual(['02']);
    expect(ids(feed.list())).toEqual(['01', '02', '03']);
  });

  it('never shows an item whose deletion arrived first, and reports each deletion once', () => {
    const feed = new FeedState();

    expect(feed.delete('05')).toBe(true);
    expect(feed.delete('05')).toBe(false);
    const added = feed.add([item('05'), item('06')]);

    expect(ids(added)).toEqual(['06']);
  });

  it('removes a shown item when it is deleted', () => {
    const feed = new FeedState();
    feed.add([item('01'), item('02')]);

    feed.delete('01');

    expect(ids(feed.list())).toEqual(['02']);
  });

  it("drops a purged user's comments up to the purge time, and keeps hiding late copies", () => {
    const feed = new FeedState();
    feed.add([item('01'), item('02', { userId: 'u2' }), item('05')]);

    const changed = feed.purge({ userId: 'u1', before: '2026-12-07T00:00:03.000Z' });
    const late = feed.add([item('03')]);

    expect(changed).toBe(true);
    expect(ids(feed.list())).toEqual(['02', '05']);
    expect(late).toEqual([]);
    expect(feed.purge({ userId: 'u1', before: '2026-12-07T00:00:02.000Z' })).toBe(false);
  });

  it('does not purge artist messages or notices', () => {
    const feed = new FeedState();
    feed.add([item('01', { kind: 'artist_message' })]);

    feed.purge({ userId: 'u1', before: '2026-12-07T00:00:09.000Z' });

    expect(ids(feed.list())).toEqual(['01']);
  });

  it('hides a banned user’s comments and reports the ban and its lifting from live documents', () => {
    const feed = new FeedState(100, () => Date.parse('2026-12-07T00:00:00Z'));
    feed.add([item('01'), item('02', { userId: 'u2' })]);

    const banned = feed.setBans([{ userId: 'u1', scope: 'room' }], 1_000, 3_000);
    const hiddenLate = feed.add([item('03')]);
    const lifted = feed.setBans([], 2_000, 3_000);

    expect(banned.banned).toEqual([{ userId: 'u1', scope: 'room' }]);
    expect(ids(feed.list())).toEqual(['02']);
    expect(hiddenLate).toEqual([]);
    expect(lifted.unbanned).toEqual([{ userId: 'u1', scope: 'room' }]);
  });

  it('keeps a pushed ban when a live document older than the push does not show it yet', () => {
    const feed = new FeedState();
    const pushed = feed.pushBan('u1', 'channel', '2099-01-01T00:00:00.000Z', 10_000);

    const stale = feed.setBans([], 9_000, 3_000);
    const stillBanned = feed.isBanned('u1', 10_000);
    const later = feed.setBans([], 20_000, 3_000);

    expect(pushed).toHaveLength(1);
    expect(stale.unbanned).toEqual([]);
    expect(stillBanned).toBe(true);
    expect(later.unbanned).toEqual([{ userId: 'u1', scope: 'channel', until: '2099-01-01T00:00:00.000Z' }]);
  });

  it('treats a ban past its end as over', () => {
    const feed = new FeedState();
    feed.setBans([{ userId: 'u1', scope: 'room', until: '2026-12-07T00:00:10.000Z' }], 0, 0);

    expect(feed.banOf('u1', Date.parse('2026-12-07T00:00:09.000Z'))).toBeDefined();
    expect(feed.banOf('u1', Date.parse('2026-12-07T00:00:10.000Z'))).toBeUndefined();
  });

  it('forgets the oldest items past its bound and still counts them as seen', () => {
    const feed = new FeedState(3);
    feed.add(['01', '02', '03', '04', '05'].map((id) => item(id)));

    const again = feed.add([item('01'), item('02')]);

    expect(ids(feed.list())).toEqual(['03', '04', '05']);
    expect(again).toEqual([]);
  });
});
