import type { Comment, NoticeLevel } from '../feed/comment.js';
import { NotFoundError } from '../errors.js';
import { postArtistMessage, postNotice, type FeedEventDeps } from './feed-events.js';
import type { RoomReader } from '../rooms/ports.js';
import type { Published } from './push.js';
import { authorize, type Principal } from '../access/roles.js';
import { GLOBAL_ROOM_ID } from '../paths.js';
import type { Room } from '../rooms/room.js';

/**
 * The admin API's broadcasts: who may speak to a room's viewers. Artists post
 * messages to their own channel's rooms; operators send notices to a room or
 * to every room. The feed events themselves are feed-events.ts's.
 */

/** What was posted, and the channel it went to (absent for a notice to every room). */
export type Broadcast = Published<Comment> & { readonly channelId?: string };

/**
 * An artist's message, signed with the artist's own identity. Only artists
 * bound to the room's channel may post it (not operators or moderators: the
 * message speaks as the artist).
 */
export async function sendArtistMessage(
  deps: FeedEventDeps,
  principal: Principal,
  roomId: string,
  text: string,
): Promise<Broadcast> {
  authorize(principal, 'artist.message');
  const room = await findRoom(deps.rooms, roomId);
  authorize(principal, 'artist.message', room.channelId);
  const published = await postArtistMessage(
    { ...deps, rooms: only(room) },
    roomId,
    { userId: principal.userId, displayName: principal.displayName },
    text,
  );
  return { ...published, channelId: room.channelId };
}

export interface NoticeRequest {
  /** A room id, or "*" for every room. */
  readonly roomId: string;
  readonly level: NoticeLevel;
  readonly text: string;
  readonly displaySeconds?: number;
}

/** An operator's notice to one room, or to every room with roomId "*". */
export async function sendNotice(
  deps: FeedEventDeps,
  principal: Principal,
  request: NoticeRequest,
): Promise<Broadcast> {
  authorize(principal, 'notice.send');
  const sender = { userId: principal.userId, displayName: principal.displayName };
  if (request.roomId === GLOBAL_ROOM_ID) {
    return postNotice(deps, GLOBAL_ROOM_ID, sender, request.level, request.text, request.displaySeconds);
  }
  const room = await findRoom(deps.rooms, request.roomId);
  authorize(principal, 'notice.send', room.channelId);
  const published = await postNotice(
    { ...deps, rooms: only(room) },
    room.roomId,
    sender,
    request.level,
    request.text,
    request.displaySeconds,
  );
  return { ...published, channelId: room.channelId };
}

async function findRoom(rooms: RoomReader, roomId: string): Promise<Room> {
  const room = await rooms.get(roomId);
  if (!room) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  return room;
}

/** The room just authorized against, so the feed event neither reads it again nor sees another copy. */
const only = (room: Room): RoomReader => ({
  get: async (roomId) => (roomId === room.roomId ? room : undefined),
});
