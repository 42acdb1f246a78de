import { useEffect, useState } from 'preact/hooks';
import { MAX_GLOBAL_NG_WORDS } from '../../../lambdas/domain/moderation/moderation.js';
import { foldForMatching } from '../../../lambdas/domain/moderation/ng-words.js';
import { ApiError, type Response } from '../api.js';
import { useConsole } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { ErrorNotice, formatNumber, formatTime, PageHeader, Progress, Success } from '../ui.js';

type NgWordList = Response<'GET /admin/v1/ng-words'>;

/** The words a text area holds: one a line, trimmed, blank lines and repeats (as the server folds them) dropped. */
export function wordsOf(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((word) => {
      const folded = foldForMatching(word);
      if (!word || seen.has(folded)) return false;
      seen.add(folded);
      return true;
    });
}

/** What `next` adds to and removes from `base`, matching words as the post path does (folded). */
export function diffWords(base: readonly string[], next: readonly string[]) {
  const had = new Set(base.map(foldForMatching));
  const has = new Set(next.map(foldForMatching));
  return {
    added: next.filter((w) => !had.has(foldForMatching(w))),
    removed: base.filter((w) => !has.has(foldForMatching(w))),
  };
}

/** My changes made again on top of a newer list: their list, minus what I removed, plus what I added. */
function reapply(theirs: readonly string[], mine: { added: string[]; removed: string[] }): string[] {
  const removed = new Set(mine.removed.map(foldForMatching));
  return wordsOf([...theirs.filter((w) => !removed.has(foldForMatching(w))), ...mine.added].join('\n'));
}

/**
 * Page `/ng-words` (operators): the deployment's NG words, one per line, saved at the version read.
 * What the save adds and removes shows before saving; when someone saved meanwhile (409), the
 * edits stay and can be made again on top of their list.
 */
export function NgWordsScreen() {
  const { api } = useConsole();
  const list = useLoad((signal) => api('GET /admin/v1/ng-words', { signal }), []);
  const [base, setBase] = useState<NgWordList | undefined>();
  const [text, setText] = useState('');
  const [stale, setStale] = useState<NgWordList | undefined>();
  useEffect(() => {
    if (list.data && !base) {
      setBase(list.data);
      setText(list.data.words.join('\n'));
    }
  }, [list.data]);

  const words = wordsOf(text);
  const change = base ? diffWords(base.words, words) : { added: [], removed: [] };
  const changed = change.added.length + change.removed.length > 0;

  const save = useAction(async () => {
    if (!base) return undefined;
    try {
      const saved = await api('PUT /admin/v1/ng-words', { body: { words, version: base.version } });
      setBase(saved);
      setText(saved.words.join('\n'));
      setStale(undefined);
      return { saved, ...change };
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Read what they saved, so the notice can say who and what; the edits stay in the box.
        setStale(await api('GET /admin/v1/ng-words').catch(() => undefined));
      }
      throw error;
    }
  });

  const loadTheirs = (reapplyMine: boolean) => {
    if (!stale) return;
    setText((reapplyMine ? reapply(stale.words, change) : stale.words).join('\n'));
    setBase(stale);
    setStale(undefined);
    save.clear();
  };

  if (list.loading && !list.data) return <Progress label="Loading the NG words…" />;
  if (!base) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  const staleDiff = stale ? diffWords(base.words, stale.words) : undefined;
  const isConflict = save.error instanceof ApiError && save.error.status === 409;
  return (
    <section>
      <PageHeader title="NG words (every room)" />
      <p class="hint">
        Comments containing any of these words are refused in every room, on top of each room's own list.
        Matching ignores case, width and spaces. Changes apply within a second.
      </p>
      <p class="muted">
        Version {base.version}
        {base.updatedAt ? `, saved ${formatTime(base.updatedAt)}` : ''}
        {base.updatedBy ? ` by ${base.updatedBy}` : ''}
      </p>
      {isConflict ? (
        <div class="notice notice-error" role="alert">
          <p class="notice-title">Someone saved the list while you were editing.</p>
          <p>
            You edited version {base.version}; the list is now version {stale?.version ?? 'newer'}
            {stale?.updatedBy ? `, saved by ${stale.updatedBy}` : ''}
            {stale?.updatedAt ? ` at ${formatTime(stale.updatedAt)}` : ''}. Nothing of yours was saved, and
            your edits are still in the box.
          </p>
          {staleDiff ? (
            <p>
              They added {staleDiff.added.length ? staleDiff.added.join(', ') : 'nothing'} and removed{' '}
              {staleDiff.removed.length ? staleDiff.removed.join(', ') : 'nothing'}.
            </p>
          ) : null}
          <div class="form-actions">
            <button
              type="button"
              class="button button-primary"
              onClick={() => loadTheirs(true)}
              disabled={!stale}
            >
              Load their list and redo my changes
            </button>
            <button type="button" class="button" onClick={() => loadTheirs(false)} disabled={!stale}>
              Load their list, drop my changes
            </button>
          </div>
        </div>
      ) : (
        <ErrorNotice error={save.error} />
      )}
      {save.result && !changed ? (
        <Success>
          Saved version {save.result.saved.version}: {save.result.added.length} added,{' '}
          {save.result.removed.length} removed.
        </Success>
      ) : null}
      <form
        class="form ng-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.act();
        }}
      >
        <div class="field">
          <label for="ng-words">Words, one per line</label>
          <textarea
            id="ng-words"
            rows={14}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="ng-count"
            spellcheck={false}
          />
          <p class="hint" id="ng-count" aria-live="polite">
            {formatNumber(words.length)} {words.length === 1 ? 'word' : 'words'} (at most{' '}
            {formatNumber(MAX_GLOBAL_NG_WORDS)}); blank lines and repeats are dropped.
          </p>
        </div>
        <div class="diff" aria-live="polite">
          {changed ? (
            <>
              <h2>Saving will change</h2>
              <div class="grid-2">
                <div>
                  <h3>Added ({change.added.length})</h3>
                  <ul class="word-list word-added">
                    {change.added.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </div>
                <div>
                  <h3>Removed ({change.removed.length})</h3>
                  <ul class="word-list word-removed">
                    {change.removed.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </div>
              </div>
            </>
          ) : (
            <p class="muted">No changes since version {base.version}.</p>
          )}
        </div>
        <div class="form-actions">
          <button
            type="submit"
            class="button button-primary"
            disabled={!changed || save.running || isConflict}
          >
            Save {changed ? `(${change.added.length} added, ${change.removed.length} removed)` : ''}
          </button>
          <button
            type="button"
            class="button"
            disabled={!changed || save.running}
            onClick={() => {
              setText(base.words.join('\n'));
              save.clear();
            }}
          >
            Undo my edits
          </button>
          {save.running ? <Progress label="Saving…" /> : null}
        </div>
      </form>
    </section>
  );
}
