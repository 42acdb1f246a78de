import { UnprocessableError } from '../errors.js';
import {
  codePointLength,
  hasBidiControls,
  hasControlCharacters,
  hasLineBreaks,
  hasLoneSurrogate,
  isBlank,
} from '../feed/text-rules.js';

/** Most code points a viewer's display name may have, after NFC. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/**
 * The display name a viewer's comments carry, from the host service's token (`name`, ADR 0005):
 * NFC-normalised, one line, and held to comment text's character rules (feed/text-rules.ts) —
 * except that a name is refused rather than cleaned, since it is the host's to change, not ours.
 *
 * Throws 422 `invalid_display_name`: the token is authentic, so a 401 would be wrong (the SDK would
 * fetch a new token, which carries the same name, and the player would say the sign-in expired).
 * The message says what is wrong and that the host service, not the viewer, must fix it.
 */
export function normalizeDisplayName(raw: string): string {
  if (hasLoneSurrogate(raw)) throw invalid('contains an unpaired surrogate code unit');
  const name = raw.normalize('NFC');
  if (hasBidiControls(name)) {
    throw invalid('contains bidi control characters (embeddings, overrides, isolates or marks)');
  }
  if (hasControlCharacters(name) || hasLineBreaks(name)) {
    throw invalid('contains control characters or line breaks');
  }
  if (isBlank(name)) throw invalid('is empty or contains only invisible characters');
  const length = codePointLength(name);
  if (length > MAX_DISPLAY_NAME_LENGTH) {
    throw invalid(`is ${length} characters long; at most ${MAX_DISPLAY_NAME_LENGTH} are allowed`);
  }
  return name;
}

function invalid(problem: string): UnprocessableError {
  return new UnprocessableError(
    'invalid_display_name',
    `The display name in the viewer token (its "name" claim) ${problem}. ` +
      'The viewer cannot fix this: the host service that issues the tokens must send a valid name.',
  );
}
