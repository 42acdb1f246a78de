import * as z from 'zod/mini';
import '../zod-english.js';
import { ChannelId } from '../rooms/room.js';

/**
 * One channel's view-limit computation, as the queue carries it (issue 13). A stand-in with the
 * agreed contract until the queue's own module lands; theirs replaces this file.
 */
export const LimitJob = z.strictObject({
  channelId: ChannelId,
  reason: z.enum(['schedule', 'plan-changed', 'run-now']),
  requestedAt: z.iso.datetime(),
});
export type LimitJob = z.infer<typeof LimitJob>;

export interface LimitJobQueue {
  send(jobs: readonly LimitJob[]): Promise<void>;
}
