import { jsonBytes } from './bans.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { foldForMatching } from './ng-words.js';
import { distinctWords, MAX_NG_LIST_BYTES, type NgWordList } from './moderation.js';
import type { Clock } from '../clock.js';
import type { ModerationReader, ModerationWriter } from './ports.js';
import { authorize, type Principal } from '../access/roles.js';

/**
 * The deployment's NG words: operators replace the whole list at the version
 * they read (409 when it moved on). The post path applies it on top of each
 * room's own list, within a second of a change (its cache).
 */
export interface GlobalNgWordDeps {
  /** Uncached. */
  readonly moderation: ModerationReader & ModerationWriter;
  readonly clock: Clock;
}

export async function readGlobalNgWords(deps: GlobalNgWordDeps, principal: Principal): Promise<NgWordList> {
  authorize(principal, 'ngwords.global');
  return deps.moderation.ngWords();
}

/** Replaces the list; says what was added and removed (by folded form), for the audit log. */
export async function replaceGlobalNgWords(
  deps: GlobalNgWordDeps,
  principal: Principal,
  words: readonly string[],
  expectedVersion: number,
): Promise<{ list: NgWordList; added: string[]; removed: string[] }> {
  authorize(principal, 'ngwords.global');
  const next = distinctWords(words);
  if (jsonBytes(next) > MAX_NG_LIST_BYTES) {
    throw new BadRequestError('ng_words_too_large', `The list may take at most ${MAX_NG_LIST_BYTES} bytes.`);
  }
  const current = await deps.moderation.ngWords();
  if (current.version !== expectedVersion) throw stale(expectedVersion);
  const result = await deps.moderation.replaceNgWords(
    { words: next, updatedAt: new Date(deps.clock()).toISOString(), updatedBy: principal.userId },
    expectedVersion,
  );
  if (result === 'stale') throw stale(expectedVersion);
  const had = new Set(current.words.map(foldForMatching));
  const has = new Set(next.map(foldForMatching));
  return {
    list: result,
    added: next.filter((w) => !had.has(foldForMatching(w))),
    removed: current.words.filter((w) => !has.has(foldForMatching(w))),
  };
}

const stale = (version: number) =>
  new ConflictError('stale_version', `The NG-word list changed since version ${version}; read it again.`);
