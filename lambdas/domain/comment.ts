import { z } from 'zod';

/** The viewer, as the host service's token names them. */
export interface Viewer {
  readonly userId: string;
  readonly displayName: string;
}

export const ClientMessageId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'clientMessageId is 1–64 of A–Z a–z 0–9 _ -');

/** The body a viewer posts. Identity and time come from the server, never the body. */
export const PostCommentBody = z.strictObject({
  text: z.string().max(4000),
  clientMessageId: ClientMessageId,
});
export type PostCommentBody = z.infer<typeof PostCommentBody>;

export const Comment = z.strictObject({
  id: z.string(),
  roomId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
});
export type Comment = z.infer<typeof Comment>;
