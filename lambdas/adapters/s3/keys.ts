/** Where archived segments live in the bucket (ADR 0037); IAM grants name the prefix. */
export const ARCHIVE_PREFIX = 'rooms/';

/** One segment's object: `rooms/<roomId>/segments/<n>.json.gz` (room ids cannot hold `/`). */
export const segmentKey = (roomId: string, segment: number) =>
  `${ARCHIVE_PREFIX}${roomId}/segments/${segment}.json.gz`;
