import { normalizeCommentText } from '../../../../lambdas/domain/feed/text-rules.js';
import { MAX_BROADCAST_LENGTH } from '../../../../lambdas/domain/realtime/feed-events.js';
import { STRINGS, type Lang } from '../../../player/strings.js';
import { Field } from '../../ui.js';

export type PreviewLang = Lang;

export interface BroadcastCheck {
  readonly ok: boolean;
  /** The text as it will be stored (what the preview shows), when it can be. */
  readonly text?: string;
  /** Code points after normalising, as the server counts them. */
  readonly length: number;
  readonly problem?: string;
}

/**
 * An artist's message or a notice as the server will take it: the same normalisation and code-point
 * count (lambdas/domain/feed/text-rules.ts) against MAX_BROADCAST_LENGTH, so the counter and the
 * server never disagree.
 */
export function checkBroadcast(raw: string): BroadcastCheck {
  if (raw.trim() === '') return { ok: false, length: 0 };
  try {
    const text = normalizeCommentText(raw);
    const length = Array.from(text).length;
    if (length > MAX_BROADCAST_LENGTH) {
      return {
        ok: false,
        text,
        length,
        problem: `At most ${MAX_BROADCAST_LENGTH} characters; remove ${length - MAX_BROADCAST_LENGTH}.`,
      };
    }
    return { ok: true, text, length };
  } catch (error) {
    return { ok: false, length: Array.from(raw).length, problem: (error as Error).message };
  }
}

/** Which of the player's languages the preview draws its labels in. */
export function LanguagePicker({
  id,
  value,
  onChange,
}: {
  id: string;
  value: Lang;
  onChange: (lang: Lang) => void;
}) {
  return (
    <Field id={id} label="Preview as a player in">
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Lang)}>
        {(Object.keys(STRINGS) as Lang[]).map((lang) => (
          <option key={lang} value={lang}>
            {lang === 'ja' ? '日本語 (ja)' : 'English (en)'}
          </option>
        ))}
      </select>
    </Field>
  );
}
