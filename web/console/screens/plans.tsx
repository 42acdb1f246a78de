import { useEffect, useRef, useState } from 'preact/hooks';
import { can } from '../../../lambdas/domain/access/roles.js';
import { commentIdTime } from '../../../lambdas/domain/feed/ids.js';
import { ChannelPlan } from '../../../lambdas/domain/limits/plans.js';
import { ApiError, type Response } from '../api.js';
import { useConsole } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { href, navigate } from '../router.js';
import { Empty, ErrorNotice, Field, formatNumber, formatTime, PageHeader, Progress, Success } from '../ui.js';

type PlanView = Response<'GET /admin/v1/channels/{channelId}/plan'>;
type CutoffRun = NonNullable<PlanView['lastRun']>;
type RoomCutoff = CutoffRun['cutoffs'][number];

/** How often, and how many times, "Recompute now" reads the plan while it waits for the run. */
const RUN_POLL_MS = 1_000;
const RUN_POLL_TRIES = 60;

/** What N and D mean, in one line. */
const MEANING =
  "This channel's archives (past segments and replays) show only its newest N comments across all its rooms, and none older than D days. Live chat is never limited.";

/**
 * Page `/plans/:channelId?`: a channel's view-limit plan (ADR 0038). Operators set, replace and
 * remove it and recompute it now; the channel's moderators and artists read it. The last
 * computation shows each room's cutoff.
 */
export function PlansScreen({ channelId }: { channelId?: string | undefined }) {
  const { me } = useConsole();
  const channels = [...me.channels].sort();
  const anyChannel = can(me, 'plans.change');
  // Moderators and artists open their first channel straight away.
  useEffect(() => {
    if (!channelId && !anyChannel && channels[0]) navigate(`/plans/${encodeURIComponent(channels[0])}`);
  }, [channelId]);
  return (
    <section>
      <PageHeader title="Plans" />
      <p class="hint">{MEANING}</p>
      <ChannelPicker current={channelId} channels={channels} anyChannel={anyChannel} />
      {channelId ? (
        <ChannelPlanView key={channelId} channelId={channelId} />
      ) : anyChannel ? (
        <Empty title="Choose a channel.">Type a channel id above to see or set its plan.</Empty>
      ) : (
        <Empty title="You are bound to no channel.">Ask an operator to add you to your channels.</Empty>
      )}
    </section>
  );
}

/** Operators type any channel id (their own channels suggested); others pick among theirs. */
function ChannelPicker(props: { current?: string | undefined; channels: string[]; anyChannel: boolean }) {
  const [typed, setTyped] = useState(props.current ?? '');
  const open = (channel: string) => channel && navigate(`/plans/${encodeURIComponent(channel)}`);
  if (!props.anyChannel) {
    if (props.channels.length < 2) return null;
    return (
      <div class="toolbar">
        <div class="field field-inline">
          <label for="plans-channel">Channel</label>
          <select id="plans-channel" value={props.current} onChange={(e) => open(e.currentTarget.value)}>
            {props.channels.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </div>
    );
  }
  return (
    <form
      class="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        open(typed.trim());
      }}
    >
      <div class="field field-inline">
        <label for="plans-channel">Channel</label>
        <input
          id="plans-channel"
          value={typed}
          placeholder="channel id"
          list="plans-channels"
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <datalist id="plans-channels">
          {props.channels.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <button type="submit" class="button button-small">
          Show plan
        </button>
      </div>
    </form>
  );
}

/** The waiting after a change or "Recompute now": until the kept run's end moves, or tries run out. */
type Watch =
  | { readonly state: 'waiting'; readonly since: string | null; readonly why: string }
  | { readonly state: 'done'; readonly run: CutoffRun }
  | { readonly state: 'timeout' };

function ChannelPlanView({ channelId }: { channelId: string }) {
  const { api, me } = useConsole();
  const params = { channelId };
  const plan = useLoad((signal) => api('GET /admin/v1/channels/{channelId}/plan', { params, signal }), []);
  // Room titles for the cutoff table (the run names rooms by id).
  const rooms = useLoad(
    (signal) => api('GET /admin/v1/rooms', { query: { channelId, limit: '100' }, signal }),
    [],
  );
  const mayChange = can(me, 'plans.change', channelId);
  const mayRun = can(me, 'plans.run', channelId);
  const [view, setView] = useState<PlanView | undefined>();
  const [watch, setWatch] = useState<Watch | undefined>();
  const [removed, setRemoved] = useState(false);
  useEffect(() => {
    if (plan.data) setView(plan.data);
  }, [plan.data]);

  // Reads the plan until its last run finished after `since`, at most RUN_POLL_TRIES times.
  const polling = useRef(0);
  useEffect(() => {
    if (watch?.state !== 'waiting') return;
    const generation = ++polling.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (tries: number) => {
      const now = await api('GET /admin/v1/channels/{channelId}/plan', { params }).catch(() => undefined);
      if (generation !== polling.current) return;
      if (now) setView(now);
      const finished = now?.lastRun?.finishedAt ?? null;
      if (now?.lastRun && finished !== watch.since) return setWatch({ state: 'done', run: now.lastRun });
      if (tries >= RUN_POLL_TRIES) return setWatch({ state: 'timeout' });
      timer = setTimeout(() => void tick(tries + 1), RUN_POLL_MS);
    };
    timer = setTimeout(() => void tick(1), RUN_POLL_MS);
    return () => {
      polling.current++;
      if (timer) clearTimeout(timer);
    };
  }, [watch]);

  const runNow = useAction(async () => {
    const queued = await api('POST /admin/v1/channels/{channelId}/plan/runs', { params });
    setWatch({ state: 'waiting', since: queued.previousFinishedAt, why: 'Recomputing the cutoffs' });
    return queued;
  });

  if (!view) {
    return plan.error ? (
      <ErrorNotice error={plan.error} onRetry={plan.reload} />
    ) : (
      <Progress label={`Loading the plan of channel ${channelId}…`} />
    );
  }
  const titles = new Map((rooms.data?.rooms ?? []).map((r) => [r.roomId, r.title]));
  return (
    <div class="plan">
      <h2>Channel {channelId}</h2>
      {removed && !view.plan ? (
        <Success>The plan was removed; the channel's cutoffs are being cleared.</Success>
      ) : null}
      {view.plan ? (
        <p class="muted" data-testid="plan-summary">
          Newest <strong>{formatNumber(view.plan.maxComments)}</strong> comments within{' '}
          <strong>{formatNumber(view.plan.days)}</strong> days — version {view.version}, saved{' '}
          {formatTime(view.updatedAt ?? undefined)}
          {view.updatedBy ? ` by ${view.updatedBy}` : ''}.
        </p>
      ) : (
        <Empty title="No plan: every comment in this channel's archives is shown.">
          {mayChange ? 'Set N and D below to limit what its archives show.' : 'Only operators set plans.'}
        </Empty>
      )}
      {mayChange ? (
        <PlanForm
          channelId={channelId}
          view={view}
          onSaved={(saved, queued) => {
            setView(saved);
            setRemoved(false);
            setWatch(
              queued
                ? { state: 'waiting', since: saved.lastRun?.finishedAt ?? null, why: 'Applying the new plan' }
                : undefined,
            );
          }}
        />
      ) : null}
      {view.plan ? (
        <section class="card" aria-labelledby="run-title">
          <div class="page-header">
            <h2 id="run-title">Last computation</h2>
            {mayRun ? (
              <div class="page-actions">
                <button
                  type="button"
                  class="button button-primary"
                  disabled={runNow.running || watch?.state === 'waiting'}
                  onClick={() => void runNow.act()}
                >
                  Recompute now
                </button>
              </div>
            ) : null}
          </div>
          <ErrorNotice error={runNow.error} onRetry={() => void runNow.act()} />
          <WatchNotice watch={watch} />
          {view.lastRun ? (
            <LastRun run={view.lastRun} titles={titles} planVersion={view.version} />
          ) : (
            <p class="muted">Not computed yet: the cutoffs are computed after each change and once a day.</p>
          )}
        </section>
      ) : null}
      {mayChange && view.plan ? (
        <RemovePlan
          channelId={channelId}
          onRemoved={() => {
            setWatch(undefined);
            setRemoved(true);
            plan.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function WatchNotice({ watch }: { watch: Watch | undefined }) {
  if (!watch) return null;
  if (watch.state === 'waiting') return <Progress label={`${watch.why}… the worker is on it.`} />;
  if (watch.state === 'timeout') {
    return (
      <div class="notice notice-warn" role="status">
        <p class="notice-title">Still queued or running after {RUN_POLL_TRIES} seconds.</p>
        <p>The result appears here once the worker finishes; reload the page later.</p>
      </div>
    );
  }
  const changed = watch.run.cutoffs.filter((c) => c.changed).length;
  return (
    <Success>
      Computed at {formatTime(watch.run.finishedAt)} in {formatNumber(watch.run.durationMs)} ms:{' '}
      {formatNumber(watch.run.commentsRead)} comments read, {changed} of {watch.run.cutoffs.length}{' '}
      {watch.run.cutoffs.length === 1 ? 'room' : 'rooms'} got a new cutoff.
    </Success>
  );
}

/** N and D, saved at the version read; a stale save shows the current values and keeps the edits. */
function PlanForm(props: {
  channelId: string;
  view: PlanView;
  onSaved: (saved: PlanView, queued: boolean) => void;
}) {
  const { api } = useConsole();
  const [base, setBase] = useState(props.view);
  const [maxComments, setMaxComments] = useState(String(props.view.plan?.maxComments ?? 5000));
  const [days, setDays] = useState(String(props.view.plan?.days ?? 40));
  const [current, setCurrent] = useState<PlanView | undefined>();
  // A newer plan read elsewhere (after a run) becomes the base if the form was not edited.
  useEffect(() => {
    if (props.view.version !== base.version && !current) setBase(props.view);
  }, [props.view]);

  const values = { maxComments: Number(maxComments), days: Number(days) };
  const checked = ChannelPlan.safeParse(values);
  const issue = (field: 'maxComments' | 'days') =>
    checked.success
      ? undefined
      : checked.error.issues.find((i) => i.path[0] === field)?.message.replace(/^./, (c) => c.toUpperCase());
  const unchanged = base.plan?.maxComments === values.maxComments && base.plan?.days === values.days;

  const save = useAction(async () => {
    try {
      const saved = await api('PUT /admin/v1/channels/{channelId}/plan', {
        params: { channelId: props.channelId },
        body: { ...values, ...(base.version === null ? {} : { expectedVersion: base.version }) },
      });
      const { job, ...view } = saved;
      setBase(view);
      setCurrent(undefined);
      props.onSaved(view, job !== null);
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Read what is there now, so the notice shows it; the edits stay in the form.
        setCurrent(
          await api('GET /admin/v1/channels/{channelId}/plan', {
            params: { channelId: props.channelId },
          }).catch(() => undefined),
        );
      }
      throw error;
    }
  });
  const isConflict = save.error instanceof ApiError && save.error.status === 409;

  return (
    <form
      class="form plan-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (checked.success) void save.act();
      }}
    >
      <div class="form-row">
        <Field
          id="plan-max-comments"
          label="N: comments shown"
          hint="Newest comments kept, all rooms together."
          {...(issue('maxComments') ? { error: issue('maxComments')! } : {})}
        >
          <input
            id="plan-max-comments"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={maxComments}
            aria-invalid={issue('maxComments') ? 'true' : 'false'}
            aria-describedby="plan-max-comments-hint"
            onInput={(e) => setMaxComments(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="plan-days"
          label="D: days"
          hint="Nothing older is shown."
          {...(issue('days') ? { error: issue('days')! } : {})}
        >
          <input
            id="plan-days"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={days}
            aria-invalid={issue('days') ? 'true' : 'false'}
            aria-describedby="plan-days-hint"
            onInput={(e) => setDays(e.currentTarget.value)}
          />
        </Field>
      </div>
      {isConflict ? (
        <div class="notice notice-warn conflict" role="alert">
          <p class="notice-title">Someone changed this plan while you were editing.</p>
          <p>
            {current?.plan
              ? `It is now ${formatNumber(current.plan.maxComments)} comments within ${formatNumber(current.plan.days)} days (version ${current.version}${current.updatedBy ? `, saved by ${current.updatedBy}` : ''}${current.updatedAt ? ` at ${formatTime(current.updatedAt)}` : ''}).`
              : 'It has been removed meanwhile.'}{' '}
            Nothing of yours was saved; your values are still in the form.
          </p>
          <div class="form-actions">
            <button
              type="button"
              class="button button-primary"
              disabled={!current}
              onClick={() => {
                if (!current) return;
                setBase(current);
                setCurrent(undefined);
                save.clear();
              }}
            >
              Keep my values over theirs
            </button>
            <button
              type="button"
              class="button"
              disabled={!current}
              onClick={() => {
                if (!current) return;
                setBase(current);
                setMaxComments(String(current.plan?.maxComments ?? 5000));
                setDays(String(current.plan?.days ?? 40));
                setCurrent(undefined);
                save.clear();
                props.onSaved(current, false);
              }}
            >
              Take theirs
            </button>
          </div>
        </div>
      ) : (
        <ErrorNotice error={save.error} />
      )}
      {save.result && !save.result.job ? (
        <div class="notice notice-warn" role="status">
          <p class="notice-title">
            Saved version {save.result.version}, but its recomputation could not be queued.
          </p>
          <p>The daily run applies it; or press Recompute now.</p>
        </div>
      ) : null}
      <div class="form-actions">
        <button
          type="submit"
          class="button button-primary"
          disabled={save.running || isConflict || (unchanged && base.plan !== null)}
        >
          {base.plan ? 'Save plan' : 'Set plan'}
        </button>
        {save.running ? <Progress label="Saving…" /> : null}
        {save.result?.job && !save.running ? (
          <span class="muted" role="status">
            Saved version {save.result.version}.
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** When, how long, what it read, with what N and D, and each room's cutoff. */
function LastRun(props: { run: CutoffRun; titles: Map<string, string>; planVersion: number | null }) {
  const { run } = props;
  return (
    <>
      <dl class="facts" data-testid="last-run">
        <div>
          <dt>Finished</dt>
          <dd>{formatTime(run.finishedAt)}</dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd>{formatNumber(run.durationMs)} ms</dd>
        </div>
        <div>
          <dt>Comments read</dt>
          <dd>{formatNumber(run.commentsRead)}</dd>
        </div>
        <div>
          <dt>Read units</dt>
          <dd>{formatNumber(run.readUnits)}</dd>
        </div>
        <div>
          <dt>N and D used</dt>
          <dd>
            {run.maxComments === undefined
              ? '—'
              : `${formatNumber(run.maxComments)} within ${formatNumber(run.days ?? 0)} days`}
          </dd>
        </div>
        <div>
          <dt>Shown</dt>
          <dd>{formatNumber(run.taken)} comments</dd>
        </div>
        <div>
          <dt>Why</dt>
          <dd>{REASONS[run.reason]}</dd>
        </div>
      </dl>
      {run.planVersion !== undefined &&
      props.planVersion !== null &&
      run.planVersion !== props.planVersion ? (
        <p class="notice notice-info">
          Computed for version {run.planVersion}; the plan is at version {props.planVersion} now, and its own
          computation is on the way.
        </p>
      ) : null}
      {run.cutoffs.length ? (
        <div class="table-scroll">
          <table class="table plan-cutoffs">
            <caption class="sr-only">Each room's cutoff: older comments are hidden from its archive</caption>
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col">Oldest comment shown</th>
                <th scope="col">Cutoff id</th>
                <th scope="col" class="numeric">
                  Comments shown
                </th>
              </tr>
            </thead>
            <tbody>
              {run.cutoffs.map((c) => (
                <CutoffRow key={c.roomId} cutoff={c} title={props.titles.get(c.roomId)} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">The channel had no rooms when this ran.</p>
      )}
    </>
  );
}

const REASONS: Record<CutoffRun['reason'], string> = {
  schedule: 'The daily run',
  'plan-changed': 'The plan changed',
  'run-now': 'Recompute now',
};

function CutoffRow({ cutoff, title }: { cutoff: RoomCutoff; title: string | undefined }) {
  const hidesAll = cutoff.cutoff !== null && cutoff.taken === 0;
  return (
    <tr data-room={cutoff.roomId}>
      <th scope="row">
        <a href={href(`/rooms/${encodeURIComponent(cutoff.roomId)}`)}>{title ?? cutoff.roomId}</a>
        {title ? <div class="hint mono">{cutoff.roomId}</div> : null}
      </th>
      <td>
        {cutoff.cutoff === null ? (
          <span class="badge badge-open">No cutoff: everything shown</span>
        ) : hidesAll ? (
          <span class="badge badge-closed">Everything hidden</span>
        ) : (
          formatTime(new Date(commentIdTime(cutoff.cutoff)).toISOString())
        )}
        {cutoff.changed ? <span class="badge">moved</span> : null}
      </td>
      <td class="mono wrap">{cutoff.cutoff ?? '—'}</td>
      <td class="numeric">{formatNumber(cutoff.taken)}</td>
    </tr>
  );
}

/** Removal, confirmed first: the archives show everything again once the cutoffs are cleared. */
function RemovePlan({ channelId, onRemoved }: { channelId: string; onRemoved: () => void }) {
  const { api } = useConsole();
  const [confirming, setConfirming] = useState(false);
  const remove = useAction(async () => {
    const result = await api('DELETE /admin/v1/channels/{channelId}/plan', { params: { channelId } });
    setConfirming(false);
    onRemoved();
    return result;
  });
  return (
    <section class="card danger-zone" aria-labelledby="remove-title">
      <h2 id="remove-title">Remove the plan</h2>
      <p>The channel's archives show every comment again once its cutoffs are cleared.</p>
      <ErrorNotice error={remove.error} />
      {confirming ? (
        <div class="confirm" role="group" aria-label="Confirm removal">
          <p>Remove the plan of channel {channelId}?</p>
          <div class="form-actions">
            <button
              type="button"
              class="button button-danger-solid"
              disabled={remove.running}
              onClick={() => void remove.act()}
            >
              Remove the plan
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            {remove.running ? <Progress label="Removing…" /> : null}
          </div>
        </div>
      ) : (
        <button type="button" class="button button-danger" onClick={() => setConfirming(true)}>
          Remove plan…
        </button>
      )}
    </section>
  );
}
