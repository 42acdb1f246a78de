import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import type { Viewer } from '../../../lambdas/domain/feed/comment.js';
import { UnauthorizedError } from '../../../lambdas/domain/errors.js';
import { createPostCommentHandler } from '../../../lambdas/handlers/post-comment.js';
import { apiEvent, testOriginGuard } from '../../helpers/events.js';
import { aRoom, deferred, InMemoryComments, InMemoryModeration, InMemoryRooms } from '../fakes.js';

/** The post handler over in-memory stores, with a token check the test finishes when it wants. */
function setup() {
  const rooms = new InMemoryRooms(aRoom({ roomId: 'room-1' }));
  const moderation = new InMemoryModeration(rooms);
  const check = deferred<Viewer>();
  const handler = createPostCommentHandler({
    feed: { rooms, moderation, comments: new InMemoryComments(), clock: Date.now, retentionDays: 30 },
    viewerTokens: { verify: () => check.promise },
    logger: createLogger({ logLevel: 'SILENT' }),
    origin: testOriginGuard(),
  });
  const post = (roomId: string) =>
    handler(
      apiEvent({
        method: 'POST',
        resource: '/v1/rooms/{roomId}/comments',
        pathParameters: { roomId },
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'hello', clientMessageId: 'm-1' }),
      }),
    );
  return { rooms, moderation, check, post };
}

describe('postComment handler', () => {
  it('reads the room and its channel while the viewer token is still being checked', async () => {
    const { rooms, moderation, check, post } = setup();

    const answer = post('room-1');
    await new Promise((resolve) => setImmediate(resolve));
    const readsBeforeTheToken = { rooms: [...rooms.reads], channels: [...moderation.channelReads] };
    check.resolve({ userId: 'u-1', displayName: 'Ada' });

    expect(readsBeforeTheToken).toEqual({ rooms: ['room-1'], channels: ['default'] });
    expect((await answer).statusCode).toBe(201);
  });

  it('still answers 401 for a bad token, before looking at the room or the body', async () => {
    const { check, post } = setup();
    check.reject(new UnauthorizedError('The viewer token is not valid.'));

    const result = await post('no-such-room');

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'unauthorized' });
  });
});
