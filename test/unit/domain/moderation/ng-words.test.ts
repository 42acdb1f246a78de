import { describe, expect, it } from 'vitest';
import { findNgWord, foldForMatching } from '../../../../lambdas/domain/moderation/ng-words.js';

describe('findNgWord', () => {
  it.each([
    ['plain', 'you are bad'],
    ['upper case', 'you are BAD'],
    ['full-width letters', 'you are ｂａｄ'],
    ['spaced out', 'you are b a d'],
    ['zero-width characters inside', 'you are b\u200Ba\u200Dd'],
    ['a bidi mark inside', 'b\u202Ead'],
  ])('finds a word written %s', (_, text) => {
    expect(findNgWord(text, ['bad'])).toBe('bad');
  });

  it('finds half-width katakana written for a full-width word', () => {
    expect(findNgWord('ﾊﾞｶだね', ['バカ'])).toBe('バカ');
  });

  it('folds the listed words too', () => {
    expect(findNgWord('an ng move', ['ＮＧ'])).toBe('ＮＧ');
  });

  it('finds nothing in clean text or with no words', () => {
    expect(findNgWord('a lovely show', ['bad', 'バカ'])).toBeUndefined();
    expect(findNgWord('bad', [])).toBeUndefined();
  });

  it('returns the first listed word the text contains', () => {
    expect(findNgWord('worse and bad', ['bad', 'worse'])).toBe('bad');
  });
});

describe('foldForMatching', () => {
  it('applies NFKC, drops whitespace and invisible characters, and lower-cases', () => {
    expect(foldForMatching('Ｈｅｌｌｏ\u200B Ｗｏｒｌｄ ①')).toBe('helloworld1');
  });
});
