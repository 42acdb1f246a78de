import type { ArchivedSegment, SegmentArchive } from '../../lambdas/domain/feed/ports.js';
import type { ArchiveWatermark, RoomLister, RoomPage } from '../../lambdas/domain/rooms/ports.js';
import type { Room } from '../../lambdas/domain/rooms/room.js';
import { InMemoryRooms } from './fakes.js';

/** The segment archive over a map, with the S3 adapter's contract; counts reads and writes. */
export class InMemoryArchive implements SegmentArchive {
  readonly objects = new Map<string, ArchivedSegment>();
  readonly puts: { roomId: string; segment: number }[] = [];
  gets = 0;

  async get(roomId: string, segment: number): Promise<ArchivedSegment | undefined> {
    this.gets++;
    const stored = this.objects.get(key(roomId, segment));
    // A copy, as from S3: the caller cannot change what is stored.
    return stored ? (JSON.parse(JSON.stringify(stored)) as ArchivedSegment) : undefined;
  }

  async put(roomId: string, segment: number, document: ArchivedSegment): Promise<void> {
    this.puts.push({ roomId, segment });
    this.objects.set(key(roomId, segment), JSON.parse(JSON.stringify(document)) as ArchivedSegment);
  }

  /** The stored object's item ids, or undefined without an object. */
  ids(roomId: string, segment: number): string[] | undefined {
    return this.objects.get(key(roomId, segment))?.comments.map((c) => c.id);
  }
}

const key = (roomId: string, segment: number) => `${roomId}/${segment}`;

/** Rooms with the listing and the archive watermark, as the DynamoDB store has them. */
export class ArchiverRooms extends InMemoryRooms implements RoomLister, ArchiveWatermark {
  readonly watermarkWrites: { roomId: string; from: number | undefined; to: number }[] = [];
  private readonly all: Room[] = [];

  constructor(...rooms: Room[]) {
    super(...rooms);
    this.all.push(...rooms);
  }

  override put(room: Room): void {
    super.put(room);
    const index = this.all?.findIndex((r) => r.roomId === room.roomId) ?? -1;
    if (index >= 0) this.all[index] = room;
  }

  async list(query: { limit: number; cursor?: string }): Promise<RoomPage> {
    const start = query.cursor ? Number(query.cursor) : 0;
    const rooms = await Promise.all(
      this.all.slice(start, start + query.limit).map((r) => this.get(r.roomId)),
    );
    const next = start + query.limit < this.all.length ? String(start + query.limit) : undefined;
    return { rooms: rooms.filter((r): r is Room => r !== undefined), ...(next ? { nextCursor: next } : {}) };
  }

  async setArchivedThrough(roomId: string, from: number | undefined, to: number) {
    this.watermarkWrites.push({ roomId, from, to });
    const room = await this.get(roomId);
    if (!room) return 'not-found' as const;
    if (room.archivedThrough !== from) return 'stale' as const;
    this.put({ ...room, archivedThrough: to });
    return 'set' as const;
  }
}
