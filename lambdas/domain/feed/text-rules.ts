import { UnprocessableError } from '../errors.js';

/**
 * The rules every comment text passes before it is stored. Returns the text as
 * stored, or throws a 422 that says which rule it broke.
 *
 * - Line endings become `\n`, tabs become spaces, and the text is NFC-normalised.
 * - Bidi embedding/override/isolate/mark characters are stripped: they can make
 *   a comment render as something else ("Trojan Source") and no language needs
 *   them in a one-paragraph chat line.
 * - Other control characters are refused: people do not type them.
 * - Runs of blank lines collapse to one line break; surrounding whitespace is trimmed.
 * - Text that is empty once invisible characters are ignored is refused.
 * - Length is counted in code points, after all of the above.
 */
export const DEFAULT_MAX_COMMENT_LENGTH = 200;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
// Every C0 and C1 control character but the line feed (comment text keeps its line breaks).
// Matching control characters is this pattern's purpose.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;
const LINE_BREAKS = /[\n\r\u2028\u2029]/u;
// Characters that render as nothing (zero-width, fillers, blank braille, variation
// selectors, tags) and so cannot make a comment or a line non-empty. They stay
// inside text: ZWJ and variation selectors build emoji.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- combining marks are listed on purpose, each alone
  /[\s\u00AD\u034F\u115F\u1160\u180E\u200B-\u200D\u2060-\u2064\uFE00-\uFE0F\uFEFF\u2800\u3164\uFFA0\u{E0000}-\u{E007F}]/gu;

// The character checks, shared by every text the chat shows (comment text here, display names in
// ../access/display-name.ts), so each rule is written once.

/** An unpaired UTF-16 surrogate: no character at all (JSON's `\ud800` escape makes one). */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);
/** Bidi embedding, override, isolate and mark characters ("Trojan Source"). */
export const hasBidiControls = (text: string): boolean => text.search(BIDI_CONTROLS) !== -1;
/** C0 or C1 control characters, the line feed excepted (see `hasLineBreaks`). */
export const hasControlCharacters = (text: string): boolean => CONTROL_CHARACTERS.test(text);
/** Line feed, carriage return, or Unicode's line or paragraph separator. */
export const hasLineBreaks = (text: string): boolean => LINE_BREAKS.test(text);
/** Empty once the characters that render as nothing are left out. */
export const isBlank = (text: string): boolean => text.replace(INVISIBLE, '').length === 0;

/**
 * Applies every rule; with `maxLength`, the length limit too. Callers that must
 * tell "too long" apart (a retry of a comment accepted under a higher limit)
 * check the length themselves with `assertCommentLength`.
 */
export function normalizeCommentText(raw: string, maxLength = Infinity): string {
  if (hasLoneSurrogate(raw)) {
    throw new UnprocessableError('invalid_text', 'Text contains an unpaired surrogate code unit.');
  }
  const text = raw
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .normalize('NFC')
    .replace(BIDI_CONTROLS, '');
  if (hasControlCharacters(text)) {
    throw new UnprocessableError('invalid_characters', 'Text contains control characters.');
  }
  const collapsed = text
    .split('\n')
    .map((line) => (isBlank(line) ? '' : line.trimEnd()))
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
  if (isBlank(collapsed)) {
    throw new UnprocessableError('empty_text', 'Text is empty or contains only invisible characters.');
  }
  assertCommentLength(collapsed, maxLength);
  return collapsed;
}

export function assertCommentLength(text: string, maxLength: number): void {
  const length = codePointLength(text);
  if (length > maxLength) {
    throw new UnprocessableError(
      'text_too_long',
      `Text is ${length} characters long; this room allows at most ${maxLength}.`,
    );
  }
}

export function codePointLength(text: string): number {
  return Array.from(text).length;
}
