import { $ZodError as ZodError } from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import {
  CommentStyleList,
  createRoom,
  publicRoom,
  Room,
  RoomId,
  RoomSettings,
} from '../../../../lambdas/domain/rooms/room.js';
import { COMMENT_STYLE_IDS } from '../../../../lambdas/domain/feed/comment-styles.js';
import { MAX_SHARDS } from '../../../../lambdas/domain/feed/shards.js';

/** The default: every palette style (comment-styles.ts), in its order. */
const ALL_STYLES = ['gold', 'sakura', 'sky', 'emerald', 'violet', 'sunset'];

const CREATED = new Date(Date.UTC(2030, 0, 1, 9, 30));

describe('createRoom', () => {
  it('applies the defaults to a room created with an id and a title only', () => {
    // Act
    const room = createRoom({ roomId: 'launch-2030', title: 'Launch' }, CREATED);

    // Assess
    expect(room).toEqual({
      roomId: 'launch-2030',
      channelId: 'default',
      title: 'Launch',
      status: 'open',
      settings: {
        slowModeSeconds: 0,
        maxCommentLength: 200,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        ngWords: [],
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: ALL_STYLES,
      },
      schedule: {},
      expectedViewers: 0,
      shards: { write: 1, read: 1 },
      bans: {},
      purges: {},
      version: 1,
      createdAt: '2030-01-01T09:30:00.000Z',
      updatedAt: '2030-01-01T09:30:00.000Z',
    });
  });

  it('reads and writes the same number of shards at creation', () => {
    expect(createRoom({ roomId: 'r', title: 't', shards: 8 }, CREATED).shards).toEqual({ write: 8, read: 8 });
  });

  it('keeps given settings and fills in the rest', () => {
    const room = createRoom(
      { roomId: 'r', title: 't', settings: { slowModeSeconds: 30, segmentSeconds: 5 } },
      CREATED,
    );

    expect(room.settings).toEqual({
      slowModeSeconds: 30,
      maxCommentLength: 200,
      pollIntervalSeconds: 3,
      segmentSeconds: 5,
      ngWords: [],
      enabled: true,
      postingAllowed: 'everyone',
      commentStyles: ALL_STYLES,
    });
  });

  it('builds a room that passes the Room schema', () => {
    const room = createRoom({ roomId: 'r', title: 't', shards: 3 }, CREATED);

    expect(Room.parse(room)).toEqual(room);
  });

  it.each([
    ['an invalid room id', { roomId: 'a#b', title: 't' }],
    ['an empty title', { roomId: 'r', title: '' }],
    ['a title over 200 characters', { roomId: 'r', title: 'x'.repeat(201) }],
    ['zero shards', { roomId: 'r', title: 't', shards: 0 }],
    [`more than ${MAX_SHARDS} shards`, { roomId: 'r', title: 't', shards: MAX_SHARDS + 1 }],
    ['a fractional shard count', { roomId: 'r', title: 't', shards: 1.5 }],
    ['an out-of-range setting', { roomId: 'r', title: 't', settings: { pollIntervalSeconds: 0 } }],
  ])('throws a ZodError for %s', (_name, input) => {
    expect(() => createRoom(input, CREATED)).toThrow(ZodError);
  });

  it('accepts the largest shard count', () => {
    expect(createRoom({ roomId: 'r', title: 't', shards: MAX_SHARDS }, CREATED).shards.write).toBe(
      MAX_SHARDS,
    );
  });
});

describe('RoomId', () => {
  it.each(['a', 'Room_1-x', 'ABCxyz019', 'x'.repeat(64)])('accepts %j', (id) => {
    expect(RoomId.safeParse(id).success).toBe(true);
  });

  it.each([
    ['the key delimiter #', 'room#1'],
    ['a slash', 'room/1'],
    ['the empty string', ''],
    ['65 characters', 'x'.repeat(65)],
    ['a space', 'room 1'],
    ['a dot', 'room.1'],
    ['a non-ASCII letter', 'salle-\u00E9'],
    ['a trailing newline', 'room\n'],
  ])('refuses %s', (_name, id) => {
    expect(RoomId.safeParse(id).success).toBe(false);
  });
});

describe('RoomSettings', () => {
  it('fills every default into an empty object', () => {
    expect(RoomSettings.parse({})).toEqual({
      slowModeSeconds: 0,
      maxCommentLength: 200,
      pollIntervalSeconds: 3,
      segmentSeconds: 10,
      ngWords: [],
      enabled: true,
      postingAllowed: 'everyone',
      commentStyles: ALL_STYLES,
    });
  });

  it.each([
    ['slowModeSeconds', 0],
    ['slowModeSeconds', 3600],
    ['maxCommentLength', 1],
    ['maxCommentLength', 1000],
    ['pollIntervalSeconds', 1],
    ['pollIntervalSeconds', 60],
    ['segmentSeconds', 1],
    ['segmentSeconds', 300],
  ])('accepts %s = %d', (field, value) => {
    expect(RoomSettings.parse({ [field]: value })[field as keyof RoomSettings]).toBe(value);
  });

  it.each([
    ['slowModeSeconds', -1],
    ['slowModeSeconds', 3601],
    ['maxCommentLength', 0],
    ['maxCommentLength', 1001],
    ['pollIntervalSeconds', 0],
    ['pollIntervalSeconds', 61],
    ['segmentSeconds', 0],
    ['segmentSeconds', 301],
    ['segmentSeconds', 2.5],
    ['pollIntervalSeconds', '3'],
  ])('refuses %s = %j', (field, value) => {
    // Act
    const result = RoomSettings.safeParse({ [field]: value });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('refuses unknown fields', () => {
    const result = RoomSettings.safeParse({ slowModeSeconds: 5, slowmodeSeconds: 5 });

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('slowmodeSeconds');
  });

  it('refuses unknown fields when a room is created', () => {
    const settings = { pollIntervalSeconds: 3, colour: 'red' } as unknown as Partial<RoomSettings>;

    expect(() => createRoom({ roomId: 'r', title: 't', settings }, CREATED)).toThrow(ZodError);
  });
});

describe('RoomSettings.commentStyles', () => {
  it('defaults to the whole palette, a fresh list for every room', () => {
    const a = RoomSettings.parse({});
    const b = RoomSettings.parse({});

    expect(a.commentStyles).toEqual([...COMMENT_STYLE_IDS]);
    expect(a.commentStyles).not.toBe(b.commentStyles);
  });

  it('keeps a list an operator chose, in its order, and an empty one', () => {
    expect(RoomSettings.parse({ commentStyles: ['violet', 'gold'] }).commentStyles).toEqual([
      'violet',
      'gold',
    ]);
    expect(RoomSettings.parse({ commentStyles: [] }).commentStyles).toEqual([]);
  });

  it('reads a stored room whose list names a style the palette no longer has, leaving it out', () => {
    // Prepare: a room as stored, listing a style since retired from the palette.
    const stored = { ...createRoom({ roomId: 'r', title: 't' }, CREATED) } as Record<string, unknown>;
    stored.settings = { ...(stored.settings as object), commentStyles: ['gold', 'retired-style'] };

    // Act
    const room = Room.parse(stored);

    // Assess
    expect(room.settings.commentStyles).toEqual(['gold']);
  });

  it('refuses a list that is not a list of strings', () => {
    expect(RoomSettings.safeParse({ commentStyles: 'gold' }).success).toBe(false);
    expect(RoomSettings.safeParse({ commentStyles: [7] }).success).toBe(false);
  });

  it('is public: viewers see which styles the room allows', () => {
    const room = createRoom({ roomId: 'r', title: 't', settings: { commentStyles: ['sky'] } }, CREATED);

    expect(publicRoom(room).settings.commentStyles).toEqual(['sky']);
  });
});

describe('CommentStyleList', () => {
  it('accepts palette ids, each once', () => {
    expect(CommentStyleList.parse(['gold', 'sunset'])).toEqual(['gold', 'sunset']);
  });

  it.each([
    ['an id the palette lacks', ['gold', 'rainbow']],
    ['a duplicate', ['gold', 'gold']],
    ['an id in another case', ['Gold']],
  ])('refuses %s', (_name, ids) => {
    expect(CommentStyleList.safeParse(ids).success).toBe(false);
  });
});

describe('Room', () => {
  it('refuses unknown top-level fields', () => {
    const room = createRoom({ roomId: 'r', title: 't' }, CREATED);

    expect(Room.safeParse({ ...room, owner: 'someone' }).success).toBe(false);
  });

  it('refuses a status other than open or closed', () => {
    const room = createRoom({ roomId: 'r', title: 't' }, CREATED);

    expect(Room.safeParse({ ...room, status: 'paused' }).success).toBe(false);
  });
});

describe('publicRoom', () => {
  it('exposes the id, channel, title, status, public settings and schedule only', () => {
    // Prepare
    const room = {
      ...createRoom(
        {
          roomId: 'r',
          channelId: 'ch',
          title: 'Show',
          shards: 4,
          settings: { slowModeSeconds: 10, ngWords: ['secret'] },
          schedule: { startsAt: '2030-01-01T10:00:00.000Z' },
          expectedViewers: 5000,
        },
        CREATED,
      ),
      status: 'closed' as const,
      version: 7,
      bans: { troll: { bannedAt: '2030-01-01T09:00:00.000Z', by: 'mod-1', reason: 'spam' } },
    };

    // Act
    const visible = publicRoom(room);

    // Assess
    expect(visible).toEqual({
      roomId: 'r',
      channelId: 'ch',
      title: 'Show',
      status: 'closed',
      settings: {
        slowModeSeconds: 10,
        maxCommentLength: 200,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: ALL_STYLES,
      },
      schedule: { startsAt: '2030-01-01T10:00:00.000Z' },
    });
    // NG words would teach spammers what to misspell; who banned whom is the moderators' business.
    expect(JSON.stringify(visible)).not.toMatch(/secret|spam|mod-1|5000/);
    expect(visible).not.toHaveProperty('shards');
    expect(visible).not.toHaveProperty('version');
    expect(visible).not.toHaveProperty('createdAt');
    expect(visible).not.toHaveProperty('updatedAt');
  });

  it('copies the settings instead of sharing the room object', () => {
    const room = createRoom({ roomId: 'r', title: 't' }, CREATED);

    const visible = publicRoom(room);

    expect(visible.settings).not.toBe(room.settings);
  });

  describe('NG words', () => {
    it('are kept in the settings and never shown to viewers', () => {
      const room = createRoom({ roomId: 'r', title: 't', settings: { ngWords: ['secret-word'] } }, CREATED);

      expect(room.settings.ngWords).toEqual(['secret-word']);
      expect(JSON.stringify(publicRoom(room))).not.toContain('secret-word');
    });
  });
});
