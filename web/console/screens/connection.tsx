import type { ComponentChildren } from 'preact';
import { useConsole } from '../context.js';
import { useLoad } from '../hooks.js';
import { CopyButton, ErrorNotice, Progress } from '../ui.js';
import type { RoomTabProps } from './room.js';

/** One value to hand to someone building a player: its name, what it is for, and a copy button. */
function Copyable({
  label,
  value,
  hint,
  block,
}: {
  label: string;
  value: string;
  hint?: ComponentChildren;
  block?: boolean;
}) {
  const id = `conn-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <div class="copyable">
      <div class="copyable-head">
        <h3 id={id}>{label}</h3>
        <CopyButton value={value} label={label} />
      </div>
      {hint ? <p class="hint">{hint}</p> : null}
      {block ? (
        <pre class="code-block" aria-labelledby={id} tabIndex={0}>
          <code>{value}</code>
        </pre>
      ) : (
        <p class="code-line mono" aria-labelledby={id}>
          {value}
        </p>
      )}
    </div>
  );
}

/** Room tab: everything a web player needs to join this room, each value with a copy button. */
export function ConnectionTab({ room }: RoomTabProps) {
  const { api } = useConsole();
  const info = useLoad(
    (signal) => api('GET /admin/v1/rooms/{roomId}/connection', { params: { roomId: room.roomId }, signal }),
    [room.roomId, room.version],
  );
  if (info.loading && !info.data) return <Progress label="Loading the connection info…" />;
  if (!info.data) return <ErrorNotice error={info.error} onRetry={info.reload} />;
  const c = info.data;
  return (
    <div class="connection">
      <ErrorNotice error={info.error} onRetry={info.reload} />
      <section class="card" aria-labelledby="conn-embed">
        <h2 id="conn-embed">Embed the player</h2>
        <Copyable
          label="Embed snippet"
          value={c.snippet}
          block
          hint="Paste into the page that shows the stream. It loads the web player for this room; give it your site's viewer token to let viewers post."
        />
      </section>
      <section class="card" aria-labelledby="conn-poll">
        <h2 id="conn-poll">Receiving comments (polling through the CDN)</h2>
        <dl class="facts">
          <div>
            <dt>Poll interval</dt>
            <dd>
              {c.pollIntervalSeconds} s
              <CopyButton value={String(c.pollIntervalSeconds)} label="poll interval" />
            </dd>
          </div>
          <div>
            <dt>Segment length</dt>
            <dd>{c.segmentSeconds} s</dd>
          </div>
          <div>
            <dt>Room status</dt>
            <dd>{c.status}</dd>
          </div>
        </dl>
        <Copyable label="Room info URL" value={c.roomUrl} hint="GET: the room's public settings." />
        <Copyable
          label="Poll URL"
          value={c.pollUrl}
          hint="GET: the current tick (first load, simple clients)."
        />
        <Copyable
          label="Poll by tick URL"
          value={c.pollTickUrlTemplate}
          hint="GET with {tick} replaced by each tick in turn: polling without gaps."
        />
        <Copyable
          label="Segment URL"
          value={c.segmentUrlTemplate}
          hint="GET with {n} replaced by a segment number: one closed slice of time."
        />
        <Copyable
          label="Post URL"
          value={c.postUrl}
          hint="POST {text, clientMessageId} with the viewer's bearer token."
        />
      </section>
      <section class="card" aria-labelledby="conn-realtime">
        <h2 id="conn-realtime">Urgent events (AppSync subscriptions)</h2>
        <Copyable label="GraphQL URL" value={c.graphqlUrl} />
        <Copyable label="Realtime URL" value={c.realtimeUrl} />
        <Copyable label="API key" value={c.apiKey} hint="Public by design: it only lets players subscribe." />
        <Copyable
          label="Room subscription"
          value={c.subscriptions.room.query}
          block
          hint={
            <>
              Variables: <code>{JSON.stringify(c.subscriptions.room.variables)}</code>
            </>
          }
        />
        <Copyable
          label="Global subscription"
          value={c.subscriptions.global.query}
          block
          hint="Notices to every room. No variables."
        />
      </section>
    </div>
  );
}
