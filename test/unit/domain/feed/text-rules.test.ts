import { describe, expect, it } from 'vitest';
import { UnprocessableError } from '../../../../lambdas/domain/errors.js';
import {
  codePointLength,
  DEFAULT_MAX_COMMENT_LENGTH,
  normalizeCommentText,
} from '../../../../lambdas/domain/feed/text-rules.js';

const normalize = (raw: string, maxLength = DEFAULT_MAX_COMMENT_LENGTH) =>
  normalizeCommentText(raw, maxLength);

/** The error `normalize` throws for `raw`, or a failure if it does not throw. */
function refusal(raw: string, maxLength = DEFAULT_MAX_COMMENT_LENGTH): UnprocessableError {
  try {
    normalize(raw, maxLength);
  } catch (error) {
    expect(error).toBeInstanceOf(UnprocessableError);
    return error as UnprocessableError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 👨‍👩‍👧

describe('normalizeCommentText', () => {
  describe('normalisation', () => {
    it('composes text to NFC', () => {
      // Prepare
      const decomposed = 'caf' + 'e\u0301';

      // Act
      const text = normalize(decomposed);

      // Assess
      expect(text).toBe('caf\u00E9');
      expect(codePointLength(text)).toBe(4);
    });

    it('turns CRLF and lone CR into LF', () => {
      expect(normalize('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
    });

    it('turns tabs into spaces', () => {
      expect(normalize('a\tb\t\tc')).toBe('a b  c');
    });

    it('collapses a single blank line into one line break', () => {
      expect(normalize('hello\n\nworld')).toBe('hello\nworld');
    });

    it('collapses a run of blank lines into one line break', () => {
      expect(normalize('hello\n\n\n\nworld')).toBe('hello\nworld');
      expect(normalize('hello\r\n\r\n\r\nworld')).toBe('hello\nworld');
    });

    it('treats lines holding only spaces or tabs as blank', () => {
      expect(normalize('hello\n   \n\t\n  \nworld')).toBe('hello\nworld');
    });

    it('drops trailing spaces at the end of each line but keeps leading ones', () => {
      expect(normalize('first   \n  second  ')).toBe('first\n  second');
    });

    it('trims surrounding whitespace, including ideographic spaces', () => {
      expect(normalize('  \n\u3000 hello \u3000\n ')).toBe('hello');
    });

    it('keeps a single line break between two lines', () => {
      expect(normalize('a\nb')).toBe('a\nb');
    });

    it.each([
      ['LRE', '\u202A'],
      ['RLE', '\u202B'],
      ['PDF', '\u202C'],
      ['LRO', '\u202D'],
      ['RLO', '\u202E'],
      ['LRI', '\u2066'],
      ['RLI', '\u2067'],
      ['FSI', '\u2068'],
      ['PDI', '\u2069'],
      ['LRM', '\u200E'],
      ['RLM', '\u200F'],
      ['ALM', '\u061C'],
    ])('strips the bidi control %s', (_name, control) => {
      expect(normalize(`abc${control}def${control}`)).toBe('abcdef');
    });

    it('refuses text made only of bidi controls as empty', () => {
      expect(refusal('\u202E\u2066\u200F').code).toBe('empty_text');
    });

    it('keeps emoji ZWJ sequences intact', () => {
      expect(normalize(` ${FAMILY} `)).toBe(FAMILY);
    });

    it('keeps ordinary non-Latin text and astral characters unchanged', () => {
      const text = 'こんにちは 世界 \u{1F600} مرحبا';
      expect(normalize(text)).toBe(text);
    });
  });

  describe('refusals', () => {
    it.each([
      ['BEL', '\u0007'],
      ['ESC', '\u001B'],
      ['NUL', '\u0000'],
      ['VT', '\u000B'],
      ['FF', '\u000C'],
      ['DEL', '\u007F'],
      ['NEL', '\u0085'],
      ['CSI', '\u009B'],
    ])('refuses the control character %s with 422 invalid_characters', (_name, control) => {
      // Act
      const error = refusal(`hello${control}world`);

      // Assess
      expect(error.status).toBe(422);
      expect(error.code).toBe('invalid_characters');
      expect(error.retryable).toBe(false);
    });

    it.each([
      ['a lone high surrogate', 'abc\uD83D'],
      ['a lone low surrogate', '\uDE00abc'],
      ['two high surrogates', '\uD83D\uD83Dx'],
      ['a reversed pair', '\uDE00\uD83D'],
    ])('refuses %s with 422 invalid_text', (_name, raw) => {
      const error = refusal(raw);

      expect(error.status).toBe(422);
      expect(error.code).toBe('invalid_text');
    });

    it.each([
      ['the empty string', ''],
      ['spaces', '    '],
      ['line breaks and tabs', '\r\n\t\n \r'],
      ['zero-width spaces', '\u200B\u200B'],
      ['ideographic spaces', '\u3000\u3000'],
      ['blank braille', '\u2800\u2800'],
      ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
      ['soft hyphens', '\u00AD'],
      ['byte order marks', '\uFEFF'],
      ['zero-width joiners and word joiners', '\u200D\u2060\u200C'],
      ['a mix of invisible characters on several lines', ' \u200B\n\u3000\n\u2800\u00AD '],
    ])('refuses text made only of %s with 422 empty_text', (_name, raw) => {
      const error = refusal(raw);

      expect(error.status).toBe(422);
      expect(error.code).toBe('empty_text');
    });

    it('accepts one visible character surrounded by invisible ones, keeping the inner ones', () => {
      expect(normalize('\u200Bx\u200B')).toBe('\u200Bx\u200B');
    });
  });

  describe('length', () => {
    it('accepts text of exactly the limit in code points', () => {
      expect(normalize('a'.repeat(10), 10)).toBe('a'.repeat(10));
    });

    it('refuses text one code point over the limit with 422 text_too_long naming the limit', () => {
      // Act
      const error = refusal('a'.repeat(11), 10);

      // Assess
      expect(error.status).toBe(422);
      expect(error.code).toBe('text_too_long');
      expect(error.message).toContain('10');
      expect(error.message).toContain('11');
    });

    it('counts astral characters as one code point each, not two UTF-16 units', () => {
      const tenEmoji = '\u{1F600}'.repeat(10);
      expect(tenEmoji.length).toBe(20);

      expect(normalize(tenEmoji, 10)).toBe(tenEmoji);
      expect(refusal('\u{1F600}'.repeat(11), 10).code).toBe('text_too_long');
    });

    it('counts a ZWJ family emoji as its five code points', () => {
      expect(normalize(FAMILY, 5)).toBe(FAMILY);
      expect(refusal(FAMILY, 4).code).toBe('text_too_long');
    });

    it('measures after normalisation: trimmed whitespace and collapsed lines do not count', () => {
      expect(normalize('   abc\n\n\n\ndef   ', 7)).toBe('abc\ndef');
    });

    it('measures after NFC: a decomposed accent counts as one code point', () => {
      expect(normalize('e\u0301'.repeat(5), 5)).toBe('\u00E9'.repeat(5));
    });

    it('measures after bidi controls are stripped', () => {
      expect(normalize('\u202Eabc\u202C', 3)).toBe('abc');
    });

    it('uses 200 code points as the default limit', () => {
      expect(DEFAULT_MAX_COMMENT_LENGTH).toBe(200);
    });
  });
});

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['\u00E9', 1],
    ['e\u0301', 2],
    ['\u{1F600}', 1],
    [FAMILY, 5],
    ['\u{1F1EF}\u{1F1F5}', 2],
  ])('counts %j as %i code points', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  describe('invisible text and line breaks', () => {
    it.each([
      ['a variation selector', '\uFE0F'],
      ['a combining grapheme joiner', '\u034F'],
      ['a tag character', '\u{E0020}'],
    ])('refuses text that is only %s with 422 empty_text', (_, raw) => {
      expect(refusal(raw).code).toBe('empty_text');
    });

    it('treats line and paragraph separators as line breaks and collapses their runs', () => {
      expect(normalize('a\u2028\u2028\u2029b')).toBe('a\nb');
    });

    it('collapses lines that hold only invisible characters like blank lines', () => {
      expect(normalize('x\n\u200B\n\u200B\ny')).toBe('x\ny');
    });

    it('keeps a variation selector inside an emoji', () => {
      expect(normalize('\u2764\uFE0F')).toBe('\u2764\uFE0F');
    });
  });
});
