import type { RoomWriter } from '../lambdas/domain/rooms/ports.js';
import { createRoom } from '../lambdas/domain/rooms/room.js';

export const DEMO_ROOM_ID = 'demo';

/** The room a fresh local stack offers, so the quick start works with no setup. */
export async function seedDemoRoom(rooms: RoomWriter): Promise<void> {
  await rooms.create(createRoom({ roomId: DEMO_ROOM_ID, title: 'Demo stream' }, new Date()));
}
