import type { ComponentChildren } from 'preact';
import { COMMENT_STYLE_IDS, COMMENT_STYLES } from '../../../lambdas/domain/feed/comment-styles.js';
import { FIELD_LABELS, type FieldErrors, type RoomDraft } from './room-form.js';

/** The controls of a room's draft, shared by the create form and the settings editor. */
export interface FieldsProps<D extends RoomDraft> {
  readonly draft: D;
  readonly set: <K extends keyof D>(key: K, value: D[K]) => void;
  readonly errors: FieldErrors;
  /** Prefix of the controls' ids (the create form and the editor never share a page, but tests read ids). */
  readonly idPrefix: string;
  readonly disabled?: boolean;
  /** Fields that differ from the room as read: marked, so the person sees what a save sends. */
  readonly changed?: ReadonlySet<string>;
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** A labelled control with its hint, its error and an "edited" mark, tied together for screen readers. */
export function Labelled(props: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  edited?: boolean | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.edited ? <span class="edited"> · edited</span> : null}
      </label>
      {props.children}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A text control for one string field of a draft. */
export function TextControl<D extends RoomDraft, K extends keyof D & string>(
  props: FieldsProps<D> & {
    field: K;
    label?: string;
    hint?: string;
    type?: 'text' | 'datetime-local';
    numeric?: boolean;
    autocomplete?: string;
    list?: string;
    placeholder?: string;
  },
) {
  const id = `${props.idPrefix}-${props.field}`;
  const error = props.errors[props.field as keyof FieldErrors];
  return (
    <Labelled
      id={id}
      label={props.label ?? FIELD_LABELS[props.field as keyof typeof FIELD_LABELS]}
      hint={props.hint}
      error={error}
      edited={props.changed?.has(props.field)}
    >
      <input
        id={id}
        name={props.field}
        type={props.type ?? 'text'}
        value={props.draft[props.field] as string}
        disabled={props.disabled}
        inputMode={props.numeric ? 'numeric' : undefined}
        autocomplete={props.autocomplete ?? 'off'}
        list={props.list}
        placeholder={props.placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
        onInput={(e) => props.set(props.field, e.currentTarget.value as D[K])}
      />
    </Labelled>
  );
}

/** Title, schedule and expected viewers: operators only (`room.update`). */
export function RoomFields<D extends RoomDraft>(props: FieldsProps<D>) {
  return (
    <>
      <TextControl {...props} field="title" hint="Shown to viewers above the chat; Japanese is fine." />
      <div class="form-row">
        <TextControl {...props} field="startsAt" type="datetime-local" hint="Your local time." />
        <TextControl {...props} field="endsAt" type="datetime-local" hint="After the start." />
      </div>
      <TextControl
        {...props}
        field="expectedViewers"
        numeric
        hint="Peak concurrent viewers: capacity is sized ahead of the event from it."
      />
    </>
  );
}

/** The chat's settings (`room.settings`: operators and the channel's moderators). */
export function SettingsFields<D extends RoomDraft>(props: FieldsProps<D>) {
  const { draft, set, errors, idPrefix, disabled, changed } = props;
  const ngId = `${idPrefix}-ngWords`;
  return (
    <>
      <div class="field">
        <label class="check" for={`${idPrefix}-enabled`}>
          <input
            id={`${idPrefix}-enabled`}
            type="checkbox"
            checked={draft.enabled}
            disabled={disabled}
            aria-describedby={`${idPrefix}-enabled-hint`}
            onChange={(e) => set('enabled', e.currentTarget.checked as D['enabled'])}
          />
          {FIELD_LABELS.enabled}
          {changed?.has('enabled') ? <span class="edited"> · edited</span> : null}
        </label>
        <p class="hint" id={`${idPrefix}-enabled-hint`}>
          Off: viewers still read the chat, but nobody can post.
        </p>
      </div>
      <fieldset disabled={disabled}>
        <legend>
          {FIELD_LABELS.postingAllowed}
          {changed?.has('postingAllowed') ? <span class="edited"> · edited</span> : null}
        </legend>
        {(
          [
            ['everyone', 'Everyone signed in'],
            ['nobody', 'Nobody (read-only)'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} class="check">
            <input
              type="radio"
              name={`${idPrefix}-postingAllowed`}
              value={value}
              checked={draft.postingAllowed === value}
              onChange={() => set('postingAllowed', value as D['postingAllowed'])}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="form-row">
        <TextControl {...props} field="slowModeSeconds" numeric hint="0 turns slow mode off; at most 3600." />
        <TextControl {...props} field="maxCommentLength" numeric hint="1 to 1000." />
        <TextControl
          {...props}
          field="pollIntervalSeconds"
          numeric
          hint="1 to 60; also the CDN's cache lifetime."
        />
      </div>
      <Labelled
        id={ngId}
        label={FIELD_LABELS.ngWords}
        hint="One per line. Comments containing one are refused; viewers never see this list."
        error={errors.ngWords}
        edited={changed?.has('ngWords')}
      >
        <textarea
          id={ngId}
          name="ngWords"
          value={draft.ngWords}
          disabled={disabled}
          aria-invalid={errors.ngWords ? true : undefined}
          aria-describedby={describedBy(ngId, true, errors.ngWords)}
          onInput={(e) => set('ngWords', e.currentTarget.value as D['ngWords'])}
        />
      </Labelled>
      <fieldset disabled={disabled} aria-describedby={`${idPrefix}-styles-hint`}>
        <legend>
          {FIELD_LABELS.commentStyles}
          {changed?.has('commentStyles') ? <span class="edited"> · edited</span> : null}
        </legend>
        <p class="hint" id={`${idPrefix}-styles-hint`}>
          Decorations viewers entitled to them may use here. None turns decorations off.
        </p>
        <div class="styles">
          {COMMENT_STYLE_IDS.map((styleId) => {
            const style = COMMENT_STYLES[styleId];
            return (
              <label key={styleId} class="check style-choice">
                <input
                  type="checkbox"
                  name={`${idPrefix}-commentStyles`}
                  value={styleId}
                  checked={draft.commentStyles.includes(styleId)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    const next = COMMENT_STYLE_IDS.filter((id) =>
                      id === styleId ? on : draft.commentStyles.includes(id),
                    );
                    set('commentStyles', next as D['commentStyles']);
                  }}
                />
                <span
                  class="swatch"
                  aria-hidden="true"
                  style={{ borderColor: style.color, borderStyle: style.frame }}
                />
                {style.label.en}{' '}
                <span lang="ja" class="muted">
                  {style.label.ja}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
    </>
  );
}
