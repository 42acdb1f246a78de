import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../lambdas/domain/access/audit.js';
import { can } from '../../../lambdas/domain/access/roles.js';
import { useConsole } from '../context.js';
import { useAction } from '../hooks.js';
import { Empty, ErrorNotice, PageHeader, Progress, Success } from '../ui.js';
import type { RoomTabProps } from './room.js';

/** Entries per page: small enough to read, and the "Load more" button shows paging works. */
export const AUDIT_PAGE_SIZE = 25;

type Page = { entries: AuditEntry[]; nextCursor?: string };
type LoadPage = (cursor: string | undefined, signal?: AbortSignal) => Promise<Page>;

/** Saves text as a file the browser downloads. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const today = () => new Date().toISOString().slice(0, 10);
const safeName = (value: string) => value.replace(/[^A-Za-z0-9._-]+/g, '_');

/** A detail value as words: numbers and text as they are, lists joined, objects as `key: value`. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map(describeValue).join(', ') : '(none)';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${describeValue(v)}`)
      .join('; ');
  }
  return String(value);
}

const CSV_COLUMNS = [
  'id',
  'at',
  'action',
  'actor',
  'actorRoles',
  'channelId',
  'roomId',
  'target',
  'details',
] as const;
const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Entries as CSV, one row each, details as `key: value; …` (what the table shows). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.id,
      e.at,
      e.action,
      e.actor.displayName,
      e.actor.roles.join(' '),
      e.channelId ?? '',
      e.roomId ?? '',
      e.target ?? '',
      e.details ? describeValue(e.details) : '',
    ].map(csvCell),
  );
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}

/**
 * A log read page by page (newest first), filtered by action among what is loaded, each entry's
 * details as key/value pairs. `resetKey` starts over from the first page.
 */
function AuditList({
  loadPage,
  resetKey,
  exportBar,
}: {
  loadPage: LoadPage;
  resetKey: string;
  exportBar: (entries: readonly AuditEntry[]) => preact.ComponentChildren;
}) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [action, setAction] = useState('');
  const [started, setStarted] = useState(false);
  const more = useAction(async (next: string | undefined) => {
    const page = await loadPage(next);
    setEntries((had) => (next ? [...had, ...page.entries] : page.entries));
    setCursor(page.nextCursor);
    return page;
  });
  useEffect(() => {
    setEntries([]);
    setCursor(undefined);
    setAction('');
    setStarted(true);
    void more.act(undefined);
  }, [resetKey]);

  const actions = [...new Set(entries.map((e) => e.action))].sort();
  const shown = action ? entries.filter((e) => e.action === action) : entries;
  return (
    <div class="audit">
      <div class="toolbar">
        <div class="field field-inline">
          <label for="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <p class="muted" aria-live="polite">
          {action
            ? `${shown.length} of ${entries.length} loaded entries match`
            : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} loaded`}
          {cursor ? '; older entries remain' : entries.length ? '; that is all of them' : ''}
        </p>
        <div class="page-actions">{exportBar(entries)}</div>
      </div>
      <p class="hint">The action filter applies to the entries loaded; load more to search further back.</p>
      <ErrorNotice error={more.error} onRetry={() => more.act(cursor)} />
      {started && !more.running && !more.error && entries.length === 0 ? (
        <Empty title="Nothing recorded here yet.">
          Changes made through the console or the admin API appear here.
        </Empty>
      ) : null}
      {shown.length ? (
        <table class="table audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} data-entry={e.id}>
                <td>
                  <time dateTime={e.at}>
                    {new Date(e.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
                  </time>
                </td>
                <td>
                  {e.actor.displayName}
                  <div class="hint">{e.actor.roles.join(', ')}</div>
                </td>
                <td class="mono">{e.action}</td>
                <td class="mono wrap">
                  {e.target ?? '—'}
                  {e.roomId && e.roomId !== e.target ? <div class="hint">room {e.roomId}</div> : null}
                  {e.channelId ? <div class="hint">channel {e.channelId}</div> : null}
                </td>
                <td>
                  {e.details && Object.keys(e.details).length ? (
                    <dl class="kv">
                      {Object.entries(e.details).map(([k, v]) => (
                        <div key={k}>
                          <dt>{k}</dt>
                          <dd>{describeValue(v)}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {more.running ? <Progress label="Reading the log…" /> : null}
      {cursor && !more.running ? (
        <button type="button" class="button" onClick={() => more.act(cursor)}>
          Load {AUDIT_PAGE_SIZE} older entries
        </button>
      ) : null}
    </div>
  );
}

/** Room tab: the room's log, and its export (the API's JSON-lines file of the whole log). */
export function AuditTab({ room }: RoomTabProps) {
  const { api } = useConsole();
  const exporting = useAction(async () => {
    const text = await api('GET /admin/v1/rooms/{roomId}/audit/export', { params: { roomId: room.roomId } });
    const lines = text.split('\n').filter(Boolean).length;
    download(`audit-${safeName(room.roomId)}-${today()}.jsonl`, text, 'application/x-ndjson');
    return lines;
  });
  return (
    <>
      <AuditList
        resetKey={room.roomId}
        loadPage={(cursor) =>
          api('GET /admin/v1/rooms/{roomId}/audit', {
            params: { roomId: room.roomId },
            query: { limit: String(AUDIT_PAGE_SIZE), ...(cursor ? { cursor } : {}) },
          })
        }
        exportBar={() => (
          <button
            type="button"
            class="button button-small"
            onClick={() => exporting.act()}
            disabled={exporting.running}
          >
            Export the whole log (JSON lines)
          </button>
        )}
      />
      {exporting.running ? <Progress label="Exporting the room's log…" /> : null}
      <ErrorNotice error={exporting.error} />
      {exporting.result !== undefined && !exporting.running ? (
        <Success>Downloaded {exporting.result} entries, newest first, one JSON object per line.</Success>
      ) : null}
    </>
  );
}

/**
 * Page `/audit`: the deployment-wide log (operators) or a channel's (operators: any; moderators:
 * their own). The API exports only a room's log, so this page exports what it has loaded, as CSV
 * or JSON, and says so.
 */
export function AuditScreen() {
  const { api, me } = useConsole();
  const global = can(me, 'audit.global');
  const channels = [...me.channels].sort();
  const [scope, setScope] = useState<string>(global ? '' : (channels[0] ?? ''));
  const [typed, setTyped] = useState('');
  const scopeName = scope ? `channel-${safeName(scope)}` : 'global';

  const exportBar = (entries: readonly AuditEntry[]) => (
    <>
      <button
        type="button"
        class="button button-small"
        disabled={!entries.length}
        onClick={() => download(`audit-${scopeName}-${today()}.csv`, auditCsv(entries), 'text/csv')}
      >
        Download loaded as CSV
      </button>
      <button
        type="button"
        class="button button-small"
        disabled={!entries.length}
        onClick={() =>
          download(
            `audit-${scopeName}-${today()}.json`,
            `${JSON.stringify(entries, null, 2)}\n`,
            'application/json',
          )
        }
      >
        JSON
      </button>
    </>
  );

  return (
    <section>
      <PageHeader title="Audit log" />
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setScope(typed.trim());
        }}
      >
        <div class="field field-inline">
          <label for="audit-scope">Log</label>
          <select
            id="audit-scope"
            value={global && scope && !channels.includes(scope) ? '*typed' : scope}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (value !== '*typed') setScope(value);
            }}
          >
            {global ? <option value="">Deployment-wide (notices to every room, NG words)</option> : null}
            {channels.map((c) => (
              <option key={c} value={c}>
                Channel {c}
              </option>
            ))}
            {global && scope && !channels.includes(scope) ? (
              <option value="*typed">Channel {scope}</option>
            ) : null}
          </select>
        </div>
        {global ? (
          <div class="field field-inline">
            <label for="audit-channel">Channel</label>
            <input
              id="audit-channel"
              value={typed}
              placeholder="channel id"
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
            <button type="submit" class="button button-small">
              Show channel
            </button>
          </div>
        ) : null}
      </form>
      <p class="hint">
        A channel's log holds its channel-wide bans and blocks; each room's own log is on the room's Audit
        tab. Downloads contain the entries loaded here (the API exports rooms' logs only).
      </p>
      {!global && !channels.length ? (
        <Empty title="You are bound to no channel.">
          Ask an operator to add you to the channels you moderate.
        </Empty>
      ) : (
        <AuditList
          resetKey={`scope:${scope}`}
          loadPage={(cursor) =>
            api('GET /admin/v1/audit', {
              query: {
                limit: String(AUDIT_PAGE_SIZE),
                ...(scope ? { channelId: scope } : {}),
                ...(cursor ? { cursor } : {}),
              },
            })
          }
          exportBar={exportBar}
        />
      )}
    </section>
  );
}
