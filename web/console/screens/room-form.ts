/**
 * The rooms screens' form logic, apart from Preact so it is tested on its own: a room as the
 * editor's text fields hold it (a draft), what a draft changes (the PATCH body, only what changed),
 * the create request, field errors from the API's own zod schemas, and the stale-save merge — what
 * changed meanwhile, and the user's changes reapplied onto the new version.
 */
import { CreateRoomRequest, UpdateRoomRequest } from '../../../lambdas/admin-api.js';
import {
  COMMENT_STYLE_IDS,
  COMMENT_STYLES,
  type CommentStyleId,
} from '../../../lambdas/domain/feed/comment-styles.js';
import { RoomSchedule, RoomSettings, type Room } from '../../../lambdas/domain/rooms/room.js';

/** What the editor's controls hold: text for what is typed, so nothing typed is ever coerced away. */
export interface RoomDraft {
  title: string;
  /** `datetime-local` values (local time, no zone); empty: not set. */
  startsAt: string;
  endsAt: string;
  expectedViewers: string;
  enabled: boolean;
  postingAllowed: 'everyone' | 'nobody';
  slowModeSeconds: string;
  maxCommentLength: string;
  pollIntervalSeconds: string;
  /** One word per line. */
  ngWords: string;
  /** In palette order. */
  commentStyles: CommentStyleId[];
}
export type DraftKey = keyof RoomDraft;

/** Fields only operators change (`room.update`); the rest are settings (`room.settings`). */
export const ROOM_FIELDS = ['title', 'startsAt', 'endsAt', 'expectedViewers'] as const satisfies DraftKey[];
export const SETTINGS_FIELDS = [
  'enabled',
  'postingAllowed',
  'slowModeSeconds',
  'maxCommentLength',
  'pollIntervalSeconds',
  'ngWords',
  'commentStyles',
] as const satisfies DraftKey[];
const ALL_FIELDS: readonly DraftKey[] = [...ROOM_FIELDS, ...SETTINGS_FIELDS];
type SettingsKey = (typeof SETTINGS_FIELDS)[number];

export const FIELD_LABELS: Record<DraftKey | 'status' | 'roomId' | 'channelId' | 'segmentSeconds', string> = {
  roomId: 'Room id',
  channelId: 'Channel',
  title: 'Title',
  status: 'Status',
  startsAt: 'Starts',
  endsAt: 'Ends',
  expectedViewers: 'Expected viewers',
  enabled: 'Chat enabled',
  postingAllowed: 'Who may post',
  slowModeSeconds: 'Slow mode (seconds)',
  maxCommentLength: 'Longest comment (characters)',
  pollIntervalSeconds: 'Poll interval (seconds)',
  segmentSeconds: 'Segment length (seconds)',
  ngWords: 'NG words',
  commentStyles: 'Comment styles',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` value in the browser's zone, to the minute. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) as ISO, or undefined when empty or not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!value.trim()) return undefined;
  // Without a zone, ECMAScript reads a date-time as local time: what the person picked.
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const ngWordLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim().normalize())
    .filter((line) => line.length > 0);

const inPaletteOrder = (ids: readonly string[]) => COMMENT_STYLE_IDS.filter((id) => ids.includes(id));

/** A room as the editor shows it. */
export function draftOf(room: Pick<Room, 'title' | 'schedule' | 'expectedViewers' | 'settings'>): RoomDraft {
  const s = room.settings;
  return {
    title: room.title,
    startsAt: toLocalInput(room.schedule.startsAt),
    endsAt: toLocalInput(room.schedule.endsAt),
    expectedViewers: String(room.expectedViewers),
    enabled: s.enabled,
    postingAllowed: s.postingAllowed,
    slowModeSeconds: String(s.slowModeSeconds),
    maxCommentLength: String(s.maxCommentLength),
    pollIntervalSeconds: String(s.pollIntervalSeconds),
    ngWords: s.ngWords.join('\n'),
    commentStyles: inPaletteOrder(s.commentStyles),
  };
}

/** A new room's draft: the settings' defaults, no schedule. */
export function defaultDraft(): RoomDraft {
  return draftOf({ title: '', schedule: {}, expectedViewers: 0, settings: RoomSettings.parse({}) });
}

/** Whether two drafts hold the same value for `key`, as the API would store it. */
export function sameValue(key: DraftKey, a: RoomDraft, b: RoomDraft): boolean {
  const x = a[key];
  const y = b[key];
  if (key === 'ngWords') return ngWordLines(x as string).join('\n') === ngWordLines(y as string).join('\n');
  if (key === 'commentStyles') return (x as string[]).join(',') === (y as string[]).join(',');
  if (typeof x === 'string' && typeof y === 'string') return x.trim().normalize() === y.trim().normalize();
  return x === y;
}

/** The fields `draft` changes from `from`, in the form's order. */
export const changedFields = (from: RoomDraft, draft: RoomDraft): DraftKey[] =>
  ALL_FIELDS.filter((key) => !sameValue(key, from, draft));

/** Field errors by control: `title`, `slowModeSeconds`, `ngWords`, `roomId`… */
export type FieldErrors = Partial<Record<DraftKey | 'roomId' | 'channelId' | 'segmentSeconds', string>>;

const WHOLE = /^\s*\d{1,9}\s*$/;
/** A typed whole number, or NaN (which the schema then names) with the field's own error. */
function wholeNumber(key: DraftKey | 'segmentSeconds', text: string, errors: FieldErrors): number {
  if (WHOLE.test(text)) return Number(text);
  errors[key] = 'Enter a whole number (digits only).';
  return Number.NaN;
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** zod issues (paths of the request body) on the controls they concern. */
function issuesToFields(issues: readonly Issue[], errors: FieldErrors): void {
  for (const issue of issues) {
    const [first, second, third] = issue.path;
    let key: keyof FieldErrors | undefined;
    let prefix = '';
    if (first === 'settings' && typeof second === 'string') {
      key = second as keyof FieldErrors;
      if (second === 'ngWords' && typeof third === 'number') prefix = `Line ${third + 1}: `;
    } else if (first === 'schedule') {
      key = second === 'startsAt' ? 'startsAt' : 'endsAt';
      if (second === undefined) {
        errors.endsAt ??= END_AFTER_START;
        continue;
      }
    } else if (typeof first === 'string') {
      key = first as keyof FieldErrors;
    }
    if (!key || !(key in FIELD_LABELS)) key = 'title';
    errors[key] ??= sentence(prefix + issue.message);
  }
}

const END_AFTER_START = 'The end must be after the start.';

const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

export type UpdateBody = UpdateRoomRequest;
export type CreateBody = CreateRoomRequest;

export type Checked<T> =
  { ok: true; body: T } | { ok: false; errors: FieldErrors } | { ok: false; nothing: true };

/**
 * The PATCH body for saving `draft` over `base` (the room as read): its version and only what
 * changed, checked with the API's own schema. The segment length is never sent (fixed at creation).
 */
export function updateRequest(base: Room, draft: RoomDraft): Checked<UpdateBody> {
  const from = draftOf(base);
  const changed = changedFields(from, draft);
  if (changed.length === 0) return { ok: false, nothing: true };
  const errors: FieldErrors = {};
  const settings: Record<string, unknown> = {};
  const body: Record<string, unknown> = { version: base.version };
  const schedule: { startsAt?: string | null; endsAt?: string | null } = {};
  for (const key of changed) {
    switch (key) {
      case 'title':
        body.title = draft.title;
        break;
      case 'startsAt':
      case 'endsAt': {
        const typed = draft[key];
        const iso = fromLocalInput(typed);
        if (typed.trim() && !iso) errors[key] = 'Enter a date and time.';
        schedule[key] = iso ?? null;
        break;
      }
      case 'expectedViewers':
        body.expectedViewers = wholeNumber(key, draft.expectedViewers, errors);
        break;
      case 'slowModeSeconds':
      case 'maxCommentLength':
      case 'pollIntervalSeconds':
        settings[key] = wholeNumber(key, draft[key], errors);
        break;
      case 'ngWords':
        settings.ngWords = ngWordLines(draft.ngWords);
        break;
      default:
        settings[key] = draft[key as SettingsKey];
    }
  }
  if (Object.keys(schedule).length) {
    body.schedule = schedule;
    // The server merges the ends and checks the order (422 invalid_schedule): checked here first.
    const merged: Record<string, string | undefined> = { ...base.schedule };
    for (const [end, value] of Object.entries(schedule)) merged[end] = value ?? undefined;
    const order = RoomSchedule.safeParse(withoutUndefined(merged));
    if (!order.success) errors.endsAt ??= END_AFTER_START;
  }
  if (Object.keys(settings).length) body.settings = settings;
  const parsed = UpdateRoomRequest.safeParse(body);
  if (!parsed.success) issuesToFields(parsed.error.issues, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  // The body as typed (not zod's output): the client checks it again, the handler normalises it.
  return { ok: true, body: body as UpdateBody };
}

/** What the create form holds beyond a draft. */
export interface CreateDraft extends RoomDraft {
  channelId: string;
  /** Empty: the API generates one. */
  roomId: string;
  segmentSeconds: string;
}

export function defaultCreateDraft(channelId = ''): CreateDraft {
  return {
    ...defaultDraft(),
    channelId,
    roomId: '',
    segmentSeconds: String(RoomSettings.parse({}).segmentSeconds),
  };
}

/** The POST body for a new room, checked with the API's own schema. */
export function createRequest(draft: CreateDraft): Checked<CreateBody> {
  const errors: FieldErrors = {};
  const schedule: Record<string, string> = {};
  for (const end of ['startsAt', 'endsAt'] as const) {
    if (!draft[end].trim()) continue;
    const iso = fromLocalInput(draft[end]);
    if (iso) schedule[end] = iso;
    else errors[end] = 'Enter a date and time.';
  }
  const body: Record<string, unknown> = {
    channelId: draft.channelId.trim(),
    title: draft.title,
    ...(draft.roomId.trim() ? { roomId: draft.roomId.trim() } : {}),
    ...(Object.keys(schedule).length ? { schedule } : {}),
    ...(draft.expectedViewers.trim()
      ? { expectedViewers: wholeNumber('expectedViewers', draft.expectedViewers, errors) }
      : {}),
    settings: {
      enabled: draft.enabled,
      postingAllowed: draft.postingAllowed,
      slowModeSeconds: wholeNumber('slowModeSeconds', draft.slowModeSeconds, errors),
      maxCommentLength: wholeNumber('maxCommentLength', draft.maxCommentLength, errors),
      pollIntervalSeconds: wholeNumber('pollIntervalSeconds', draft.pollIntervalSeconds, errors),
      segmentSeconds: wholeNumber('segmentSeconds', draft.segmentSeconds, errors),
      ngWords: ngWordLines(draft.ngWords),
      commentStyles: draft.commentStyles,
    },
  };
  const parsed = CreateRoomRequest.safeParse(body);
  if (!parsed.success) issuesToFields(parsed.error.issues, errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, body: body as CreateBody };
}

/** A value as the conflict view shows it. */
export function displayValue(key: DraftKey, draft: RoomDraft, formatTime: (iso: string) => string): string {
  switch (key) {
    case 'enabled':
      return draft.enabled ? 'On' : 'Off';
    case 'postingAllowed':
      return draft.postingAllowed === 'everyone' ? 'Everyone' : 'Nobody (read-only)';
    case 'ngWords': {
      const words = ngWordLines(draft.ngWords);
      return words.length ? words.join(', ') : 'None';
    }
    case 'commentStyles':
      return draft.commentStyles.length
        ? draft.commentStyles.map((id) => COMMENT_STYLES[id].label.en).join(', ')
        : 'None (decorations off)';
    case 'startsAt':
    case 'endsAt': {
      const iso = fromLocalInput(draft[key]);
      return iso ? formatTime(iso) : 'Not set';
    }
    case 'expectedViewers':
      return /^\s*\d+\s*$/.test(draft.expectedViewers)
        ? Number(draft.expectedViewers).toLocaleString('en-US')
        : draft.expectedViewers;
    default:
      return draft[key].trim() || '—';
  }
}

/** One field of a stale save: as the user read it, as it is now, and the user's value if they changed it. */
export interface ConflictRow {
  readonly key: DraftKey | 'status';
  readonly label: string;
  readonly before: string;
  readonly now: string;
  /** Undefined when the user did not change this field. */
  readonly mine?: string;
}

/**
 * What changed between the room the user started from and the room as it is now, field by
 * field, with the user's own value beside each field they also changed.
 */
export function conflictRows(
  base: Room,
  current: Room,
  draft: RoomDraft,
  formatTime: (iso: string) => string,
): ConflictRow[] {
  const before = draftOf(base);
  const now = draftOf(current);
  const mine = new Set(changedFields(before, draft));
  const rows: ConflictRow[] = [];
  if (base.status !== current.status) {
    rows.push({ key: 'status', label: FIELD_LABELS.status, before: base.status, now: current.status });
  }
  for (const key of ALL_FIELDS) {
    if (sameValue(key, before, now)) continue;
    rows.push({
      key,
      label: FIELD_LABELS[key],
      before: displayValue(key, before, formatTime),
      now: displayValue(key, now, formatTime),
      ...(mine.has(key) ? { mine: displayValue(key, draft, formatTime) } : {}),
    });
  }
  return rows;
}

/** The user's changes (from `base`) laid over the room as it is now: the draft to save next. */
export function reapply(base: Room, current: Room, draft: RoomDraft): RoomDraft {
  const next = draftOf(current);
  for (const key of changedFields(draftOf(base), draft))
    (next as unknown as Record<string, unknown>)[key] = draft[key];
  return next;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
