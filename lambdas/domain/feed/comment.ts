import * as z from 'zod/mini';
import '../zod-english.js';
import type { CommentStyleId } from './comment-styles.js';
import { vposOf } from './vpos.js';

/** The viewer, as the host service's token names them. */
export interface Viewer {
  readonly userId: string;
  readonly displayName: string;
  /** The decoration the host entitles the viewer to (`comment_style` claim), a palette id. */
  readonly style?: CommentStyleId;
}

export const ClientMessageId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'clientMessageId is 1–64 of A–Z a–z 0–9 _ -'));

/** The body a viewer posts. Identity and time come from the server, never the body. */
export const PostCommentBody = z.strictObject({
  text: z.string().check(z.maxLength(4000)),
  clientMessageId: ClientMessageId,
});
export type PostCommentBody = z.infer<typeof PostCommentBody>;

/** What a feed item is: a viewer's comment, an artist's message or an operator's notice. */
export const FeedItemKind = z.enum(['comment', 'artist_message', 'notice']);
export type FeedItemKind = z.infer<typeof FeedItemKind>;

export const NoticeLevel = z.enum(['info', 'warning', 'critical']);
export type NoticeLevel = z.infer<typeof NoticeLevel>;

/** A displayable feed item. Viewers' comments, artist messages and notices share the feed and its order. */
export const Comment = z.strictObject({
  id: z.string(),
  roomId: z.string(),
  kind: z._default(FeedItemKind, 'comment'),
  userId: z.string(),
  displayName: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
  /** Notices only. */
  level: z.optional(NoticeLevel),
  /** Notices only, optional: when players stop showing the notice (its banner); it stays in the feed. */
  displayUntil: z.optional(z.iso.datetime()),
  /**
   * Viewers' comments only, optional: the decoration, a palette id (comment-styles.ts). A string,
   * not the palette's enum: a player draws an id it does not know as plain (ADR 0024).
   */
  style: z.optional(z.string()),
});
export type Comment = z.output<typeof Comment>;

/** A deletion, kept in the feed at the time it happened so `live` can tell clients to remove the item. */
export interface Tombstone {
  readonly id: string;
  readonly kind: 'tombstone';
  readonly roomId: string;
  readonly commentId: string;
  readonly deletedAt: string;
}

/** What the feed holds: items (marked when deleted) and tombstones, all ordered by id. */
export type FeedRecord = (Comment & { readonly deletedAt?: string }) | Tombstone;

export const isTombstone = (record: FeedRecord): record is Tombstone => record.kind === 'tombstone';
/** An item a viewer should see: not a tombstone, not deleted. */
export const isVisible = (record: FeedRecord): record is Comment =>
  record.kind !== 'tombstone' && record.deletedAt === undefined;

/**
 * An item as the feed documents serve it: the public form plus `vpos`, its offset from the
 * event's start in hundredths of a second (feed/vpos.ts, ADR 0040).
 */
export type FeedItem = Comment & { readonly vpos: number };

/** The public form of a visible item (no storage bookkeeping). */
export function publicItem(item: Comment): Comment {
  const { id, roomId, kind, userId, displayName, text, createdAt, level, displayUntil, style } = item;
  return {
    id,
    roomId,
    kind,
    userId,
    displayName,
    text,
    createdAt,
    ...(level ? { level } : {}),
    ...(displayUntil ? { displayUntil } : {}),
    ...(style ? { style } : {}),
  };
}

/**
 * An item already in its public form (`publicItem`: a segment's content, stored or archived) with
 * its offset from the event's start (`startMs`, feed/vpos.ts).
 */
export function presentItem(item: Comment, startMs: number): FeedItem {
  return { ...item, vpos: vposOf(item.createdAt, startMs) };
}
