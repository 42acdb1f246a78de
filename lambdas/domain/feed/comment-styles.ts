/**
 * The comment decorations the server defines (ADR 0024; the LINE write-up's
 * colour and frame): a host service entitles a viewer to one of these ids
 * through the viewer token's `comment_style` claim, a room lists those it
 * allows, and a comment carries the id (`Comment.style`). Every player draws
 * an id from this one table, so every viewer sees the same decoration.
 *
 * The client SDK imports this module at run time: it imports nothing and
 * stays a few hundred bytes (test/unit/domain/feed/comment-styles.test.ts).
 */

/** A CSS `border-style` keyword: players may use it as it is. */
export type CommentFrame = 'solid' | 'double' | 'dashed';

export interface CommentStyle {
  /**
   * A CSS hex colour for the frame and accents (the name, a marker). At least 4:1 against both
   * #FFFFFF and #121212 — one colour cannot reach 4.5:1 on both — so players keep comment text
   * in their own text colour.
   */
  readonly color: `#${string}`;
  readonly frame: CommentFrame;
  /** What a picker or a screen reader calls the style. */
  readonly label: { readonly en: string; readonly ja: string };
}

export const COMMENT_STYLES = {
  gold: { color: '#A47500', frame: 'double', label: { en: 'Gold', ja: 'ゴールド' } },
  sakura: { color: '#D1457F', frame: 'solid', label: { en: 'Sakura', ja: 'さくら' } },
  sky: { color: '#2F7FC1', frame: 'solid', label: { en: 'Sky', ja: 'スカイ' } },
  emerald: { color: '#138A5E', frame: 'solid', label: { en: 'Emerald', ja: 'エメラルド' } },
  violet: { color: '#8A5CF6', frame: 'double', label: { en: 'Violet', ja: 'バイオレット' } },
  sunset: { color: '#D0521F', frame: 'dashed', label: { en: 'Sunset', ja: 'サンセット' } },
} as const satisfies Record<string, CommentStyle>;

export type CommentStyleId = keyof typeof COMMENT_STYLES;

/** Every palette id, in the table's order: a room's default list of allowed styles. */
export const COMMENT_STYLE_IDS = Object.keys(COMMENT_STYLES) as [CommentStyleId, ...CommentStyleId[]];

/** True for an id of the palette (own keys only: never `constructor` or `__proto__`). */
export function isCommentStyleId(value: unknown): value is CommentStyleId {
  return typeof value === 'string' && Object.hasOwn(COMMENT_STYLES, value);
}

/**
 * The style a comment's `style` names, or undefined: a comment without one, or an id this copy of
 * the palette does not know (a newer server's), is drawn plain.
 */
export function commentStyle(id: string | undefined): CommentStyle | undefined {
  return isCommentStyleId(id) ? COMMENT_STYLES[id] : undefined;
}
