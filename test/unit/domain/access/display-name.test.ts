import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DISPLAY_NAME_LENGTH,
  normalizeDisplayName,
} from '../../../../lambdas/domain/access/display-name.js';
import { UnprocessableError } from '../../../../lambdas/domain/errors.js';
import { codePointLength } from '../../../../lambdas/domain/feed/text-rules.js';

/** The error `normalizeDisplayName` throws for `raw`, or a failure if it does not throw. */
function refusal(raw: string): UnprocessableError {
  try {
    normalizeDisplayName(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(UnprocessableError);
    return error as UnprocessableError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

/** The test's own oracle: controls, bidi controls and line separators. */
const NEVER_IN_A_NAME =
  // eslint-disable-next-line no-control-regex -- matching control characters is its purpose
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 👨‍👩‍👧

describe('normalizeDisplayName', () => {
  it('composes the name to NFC and keeps it otherwise as sent', () => {
    // Prepare
    const decomposed = ' Zoe\u0308 ';

    // Act
    const name = normalizeDisplayName(decomposed);

    // Assess
    expect(name).toBe(' Zo\u00EB ');
  });

  it('accepts names in any script, with emoji built from joiners and variation selectors', () => {
    for (const name of ['山田太郎', 'محمد', 'Łukasz', `Ada ${FAMILY}`, 'Ada \u2764\uFE0F']) {
      expect(normalizeDisplayName(name)).toBe(name);
    }
  });

  it('counts the length in code points after NFC: 64 astral characters pass, 65 do not', () => {
    expect(normalizeDisplayName('\u{1F600}'.repeat(MAX_DISPLAY_NAME_LENGTH))).toHaveLength(128);
    // 65 decomposed letters compose to 64.
    expect(codePointLength(normalizeDisplayName('e\u0301'.repeat(32) + 'a'.repeat(32)))).toBe(64);

    const error = refusal('\u{1F600}'.repeat(MAX_DISPLAY_NAME_LENGTH + 1));

    expect(error.message).toMatch(/is 65 characters long; at most 64/);
  });

  it.each([
    ['a right-to-left override', 'Ada\u202Eevil', /bidi control/],
    ['a left-to-right isolate', '\u2066Ada', /bidi control/],
    ['a right-to-left mark', 'Ada\u200F', /bidi control/],
    ['an Arabic letter mark', 'Ada\u061C', /bidi control/],
    ['a BEL', 'Ada\u0007', /control characters/],
    ['a NUL', 'Ada\u0000', /control characters/],
    ['a C1 control (CSI)', 'Ada\u009B31m', /control characters/],
    ['a tab', 'Ada\tLovelace', /control characters or line breaks/],
    ['a line feed', 'Ada\nLovelace', /line breaks/],
    ['a carriage return', 'Ada\rLovelace', /line breaks/],
    ['a line separator', 'Ada\u2028Lovelace', /line breaks/],
    ['nothing', '', /empty/],
    ['only spaces', '   ', /empty/],
    ['only zero-width characters', '\u200B\u2060\uFEFF', /empty/],
    ['an unpaired surrogate', 'Ada\uD800', /unpaired surrogate/],
  ])('refuses a name with %s as 422 invalid_display_name, saying so', (_, raw, problem) => {
    const error = refusal(raw);

    expect(error).toMatchObject({ status: 422, code: 'invalid_display_name', retryable: false });
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/host service .* must send a valid name/);
  });

  it('returns only NFC names of 1–64 code points with no bidi or control characters, or refuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) => {
        let name: string;
        try {
          name = normalizeDisplayName(raw);
        } catch (error) {
          expect(error).toMatchObject({ code: 'invalid_display_name' });
          return;
        }
        expect(name).toBe(raw.normalize('NFC'));
        expect(codePointLength(name)).toBeGreaterThan(0);
        expect(codePointLength(name)).toBeLessThanOrEqual(MAX_DISPLAY_NAME_LENGTH);
        expect(name).not.toMatch(NEVER_IN_A_NAME);
      }),
    );
  });
});
