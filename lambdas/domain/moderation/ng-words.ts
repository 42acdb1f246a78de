/**
 * NG-word matching. Both the text and the words are folded first, so the
 * usual evasions do not get through:
 * - NFKC: full-width and half-width forms, ligatures, circled letters → plain;
 * - invisible characters and whitespace removed ("b a d", "b\u200Bad");
 * - case folded.
 * A word matches anywhere in the folded text (no word boundaries: Japanese has none).
 */
const INVISIBLE_OR_SPACE =
  // eslint-disable-next-line no-misleading-character-class -- combining marks are listed on purpose, each alone
  /[\s\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFE00-\uFE0F\uFEFF\u2800\u3164\uFFA0\u{E0000}-\u{E007F}]/gu;

export function foldForMatching(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE_OR_SPACE, '').toLowerCase();
}

const folded = new WeakMap<readonly string[], string[]>();

/** The first listed word the text contains, after folding both; undefined when none does. */
export function findNgWord(text: string, words: readonly string[]): string | undefined {
  if (words.length === 0) return undefined;
  let list = folded.get(words);
  if (!list) {
    list = words.map(foldForMatching);
    folded.set(words, list);
  }
  const haystack = foldForMatching(text);
  const index = list.findIndex((word) => word.length > 0 && haystack.includes(word));
  return index < 0 ? undefined : words[index];
}
