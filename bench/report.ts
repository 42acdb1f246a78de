import { ASSUMPTIONS } from '../lambdas/domain/capacity/assumptions.js';
import { ratio } from './stats.js';
import type { CapacityUnitsResult } from './capacity-units.js';
import type { ColdStartResult } from './cold-start.js';
import type { EdgeOffloadResult } from './edge-offload.js';
import { CODECS, type LiveBytesResult, type Scenario } from './live-bytes.js';
import type { LiveOriginResult } from './live-origin.js';
import type { PartitionRateResult } from './partition-figure.js';
import type { PlayerCpuResult } from './player-cpu.js';
import type { PostPathResult } from './post-path.js';
import type { RealtimeBenchResult } from './realtime.js';
import type { SdkSizeResult } from './sdk-size.js';

/**
 * The measured coefficients, under stable names, for the capacity plan to be
 * compared with (lambdas/domain/capacity). Each comes from one figure.
 */
export interface Calibration {
  /** Write units per accepted post, all tables (figure 4). */
  readonly writeUnitsPerPost: number;
  /** …of which on the comments table: one comment partition's share (figures 4, 5). */
  readonly commentTableWriteUnitsPerPost: number;
  /** Read units per shard query of an origin `live` call over a full window; the larger of the rooms measured (figure 4). */
  readonly readUnitsPerLivePollPerShard: number;
  /** The post handler (figure 2). */
  readonly postHandlerP50Ms: number;
  readonly postHandlerP99Ms: number;
  /** The live handler; the slowest of the shard counts measured (figure 3). */
  readonly liveHandlerP50Ms: number;
  readonly liveHandlerP99Ms: number;
  /** Origin calls per cache lifetime under a viewer flood (figure 1); 1 is the floor. */
  readonly originCallsPerInterval: number;
  /** Mean stored size of a comment item of the chat stream (figure 8). */
  readonly commentItemBytes: number;
  /** A `live` document's compressed bytes besides its items, brotli (figure 8, fitted). */
  readonly liveDocumentOverheadBytes: number;
  /** Compressed bytes each item adds to a `live` document, brotli (figure 8, fitted). */
  readonly liveBytesPerComment: number;
}

export interface Machine {
  readonly cpus: number;
  readonly cpu: string | undefined;
  readonly memoryGB: number;
  readonly node: string;
  readonly platform: string;
}

export interface Figures {
  readonly edgeOffload: EdgeOffloadResult;
  readonly postPath: PostPathResult;
  readonly liveOrigin: LiveOriginResult;
  readonly capacityUnits: CapacityUnitsResult;
  readonly partitionRate: PartitionRateResult;
  readonly coldStart: ColdStartResult;
  readonly realtime: RealtimeBenchResult;
  readonly liveBytes: LiveBytesResult;
  readonly sdkSize: SdkSizeResult;
  readonly playerCpu: PlayerCpuResult;
}

export interface BenchResult extends Figures {
  readonly date: string;
  readonly mode: 'quick' | 'full';
  readonly machine: Machine;
  readonly elapsedSeconds: number;
  readonly calibration: Calibration;
}

export function calibrationOf(
  figures: Pick<Figures, 'edgeOffload' | 'postPath' | 'liveOrigin' | 'capacityUnits' | 'liveBytes'>,
): Calibration {
  const { edgeOffload, postPath, liveOrigin, capacityUnits, liveBytes } = figures;
  if (liveOrigin.rows.length === 0 || capacityUnits.polls.length === 0) {
    throw new Error('Calibration needs at least one live room measured.');
  }
  return {
    writeUnitsPerPost: capacityUnits.post.measured,
    commentTableWriteUnitsPerPost: capacityUnits.post.commentsTable,
    readUnitsPerLivePollPerShard: Math.max(...capacityUnits.polls.map((p) => p.measuredPerShard)),
    postHandlerP50Ms: postPath.handler.p50,
    postHandlerP99Ms: postPath.handler.p99,
    liveHandlerP50Ms: Math.max(...liveOrigin.rows.map((r) => r.handler.p50)),
    liveHandlerP99Ms: Math.max(...liveOrigin.rows.map((r) => r.handler.p99)),
    originCallsPerInterval: edgeOffload.originCallsPerInterval,
    commentItemBytes: liveBytes.commentItemBytes,
    liveDocumentOverheadBytes: liveBytes.documentFit.overhead.brotli,
    liveBytesPerComment: liveBytes.documentFit.perComment.brotli,
  };
}

/** Whole numbers in full, others to three significant digits; thousands separated. */
const n = (value: number) =>
  value.toLocaleString('en-US', Number.isInteger(value) ? {} : { maximumSignificantDigits: 3 });
const ms = n;
const bold = (value: string | number) => `**${value}**`;
const x = (value: number) => bold(`${n(value)}×`);

/** One Markdown table per figure; the ratio column is bold. */
export function renderMarkdown(result: BenchResult): string {
  const { machine, edgeOffload: e, postPath: p, liveOrigin: l, capacityUnits: c } = result;
  const { partitionRate: pr, coldStart: cs, realtime: rt, liveBytes: lb } = result;
  const lines: string[] = [];
  const table = (header: string[], rows: (string | number)[][]) => {
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
    lines.push('');
  };

  lines.push(
    `# Benchmark ${result.date} (${result.mode})`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpu ?? 'unknown CPU'}, ${machine.memoryGB} GB, ` +
      `${machine.platform}, Node ${machine.node}. Loopback only; DynamoDB Local in memory. ` +
      `Run took ${result.elapsedSeconds} s. Every ratio is measured ÷ a baseline from this same run.`,
    '',
    "## Calibration (JSON `calibration`) beside the capacity plan's coefficients",
    '',
    'Local timings are not AWS latencies: the plan keeps its own durations until measured in AWS; ' +
      'the capacity units and origin calls carry over as they are.',
    '',
  );
  table(
    ['measured here', 'value', 'plan coefficient', 'plan value', 'measured ÷ plan'],
    Object.entries(result.calibration).map(([key, value]) => {
      const coefficient = coefficientFor(key);
      return [
        `\`${key}\``,
        n(value as number),
        coefficient ? `\`${coefficient.name}\`` : '—',
        coefficient ? n(coefficient.value) : '—',
        coefficient ? x(ratio(value as number, coefficient.value)) : '—',
      ];
    }),
  );

  lines.push(
    `## 1. Edge offload: ${n(e.viewers)} viewers polling \`live/{tick}\` every ${e.intervalSeconds} s`,
    '',
    `Open-loop poller in its own process, phases spread evenly, keep-alive sockets; ` +
      `${n(e.load.responses)} requests answered at ${n(e.load.achievedPerSecond)}/s over ${n(e.intervalsElapsed)} ` +
      `intervals; send lateness p50 ${ms(e.load.sendLateness.p50)} ms, p99 ${ms(e.load.sendLateness.p99)} ms; ` +
      `edge outcomes ${JSON.stringify(e.load.outcomes)}; ${n(e.requestsPerOriginCall)} viewer requests per origin call` +
      (e.load.errors > 0
        ? `; ${n(e.load.errors)} requests failed in transport ${JSON.stringify(e.load.errorCodes)}, left out.`
        : '.'),
    ...(e.load.achievedPerSecond < e.plannedPerSecond * 0.9
      ? [
          '',
          `Note: the poller fell behind its plan (${n(e.plannedPerSecond)}/s planned): the load was not uniform.`,
        ]
      : []),
    '',
  );
  table(
    ['quantity', 'measured', 'physical limit', 'ratio'],
    [
      ['origin calls per interval', n(e.originCallsPerInterval), '1', x(e.originCallsPerInterval)],
      ['origin calls per viewer request', n(e.originCallsPerRequest), n(e.floorPerRequest), x(e.ratio)],
    ],
  );

  lines.push(
    `## 2. Post path: ${n(p.calls)} posts, alternating with the baseline`,
    '',
    `${p.invokedWith}; slow mode off, a unique clientMessageId each; returning viewers are twenty dev viewers posting in turn with their own tokens, first posts use a token new to the function each time. Baselines on the same client: a bare conditional PutItem of the comment, and the bare TransactWriteItems of exactly the items the handler writes (idempotency record and comment).`,
    '',
  );
  table(
    ['path', 'p50 ms', 'p99 ms', 'mean ms'],
    [
      ['postComment handler, returning viewers', ms(p.handler.p50), ms(p.handler.p99), ms(p.handler.mean)],
      [
        'postComment handler, first posts (token signature checked)',
        ms(p.firstPost.p50),
        ms(p.firstPost.p99),
        ms(p.firstPost.mean),
      ],
      [
        'bare conditional PutItem, same item (baseline)',
        ms(p.barePut.p50),
        ms(p.barePut.p99),
        ms(p.barePut.mean),
      ],
      [
        'bare TransactWriteItems, same items (baseline)',
        ms(p.bareTransaction.p50),
        ms(p.bareTransaction.p99),
        ms(p.bareTransaction.mean),
      ],
      [bold('handler ÷ PutItem'), x(p.ratio.p50), x(p.ratio.p99), ''],
      [bold('handler ÷ TransactWriteItems'), x(p.transactionRatio.p50), x(p.transactionRatio.p99), ''],
      [
        bold('first posts ÷ TransactWriteItems'),
        x(p.firstPostTransactionRatio.p50),
        x(p.firstPostTransactionRatio.p99),
        '',
      ],
    ],
  );

  lines.push(
    `## 3. Live origin: ${n(l.calls)} calls per room, every shard holding more than ${l.liveLimit} comments`,
    '',
    `${l.invokedWith}; baseline: the S shard Queries of the same key ranges, in parallel.`,
    '',
  );
  table(
    [
      'shards',
      'handler p50 ms',
      'handler p99 ms',
      'bare queries p50 ms',
      'bare queries p99 ms',
      'ratio p50',
      'ratio p99',
    ],
    l.rows.map((r) => [
      r.shards,
      ms(r.handler.p50),
      ms(r.handler.p99),
      ms(r.bareQueries.p50),
      ms(r.bareQueries.p99),
      x(r.ratio.p50),
      x(r.ratio.p99),
    ]),
  );

  lines.push(
    '## 4. Capacity units (ReturnConsumedCapacity on the exact commands)',
    '',
    `Post: one transaction of the comment (${c.post.itemBytes.comment} B) and its idempotency record ` +
      `(${c.post.itemBytes.idempotency} B), ${c.post.posts} posts. Poll: the room's shard queries of one origin ` +
      '`live` call; the global feed query is listed apart (DynamoDB Local reports 0 for an empty query).',
    '',
  );
  table(
    ['operation', 'measured units', 'minimum the design needs', 'ratio'],
    [
      [
        `accepted post (comments ${n(c.post.commentsTable)} + control ${n(c.post.controlTable)} WCU)`,
        n(c.post.measured),
        `${n(c.post.minimum)} (2 items × 2 WCU per KB)`,
        x(c.post.ratio),
      ],
      ...c.polls.map((poll) => [
        `origin \`live\` poll, ${poll.shards} shard(s) (${n(poll.measuredPerShard)} RCU per shard, ` +
          `${n(poll.bytesPerShard)} B per shard; global query ${n(poll.globalQuery)})`,
        n(poll.measured),
        `${n(poll.minimum)} (0.5 RCU per 4 KB per shard)`,
        x(poll.ratio),
      ]),
    ],
  );

  lines.push(
    `## 5. Busiest comment partition (${pr.seconds} s simulated per rate; ${n(pr.unitsPerPost)} WCU per post ` +
      `on the comments table; pickWriteShard)`,
    '',
  );
  table(
    [
      'posts/s',
      'shards',
      'mean WCU/s per shard',
      'busiest shard-second WCU',
      'limit WCU/s',
      'ratio to limit',
    ],
    pr.rows.map((r) => [
      n(r.postsPerSecond),
      r.shards,
      n(r.meanUnitsPerSecond),
      n(r.busiestUnitsPerSecond),
      n(pr.limitUnitsPerSecond),
      x(r.ratioToLimit),
    ]),
  );
  lines.push(
    `Smallest shard count keeping the busiest second within ${pr.headroom * 100}% of the limit:`,
    '',
  );
  table(
    ['posts/s', 'shards', 'busiest shard-second WCU', 'ratio to limit'],
    pr.smallest.map((s) => [
      n(s.postsPerSecond),
      s.shards === null ? 'more than 64' : s.shards,
      s.busiestUnitsPerSecond === null ? '—' : n(s.busiestUnitsPerSecond),
      s.ratioToLimit === null ? '—' : x(s.ratioToLimit),
    ]),
  );

  lines.push(
    `## 6. Cold start: fresh Node process per sample, median of ${cs.repeats}`,
    '',
    `Bundled as CDK bundles (esbuild, ESM, node22, minified, names kept, no source maps). ` +
      `Node boot before the probe runs: ${ms(cs.nodeBootMs)} ms. Baseline: an empty handler bundled the same way ` +
      `(${cs.baseline.bundleKB} KB): import + request ${ms(cs.baseline.initMs)} ms, process ${ms(cs.baseline.processMs)} ms.`,
    '',
  );
  table(
    [
      'function',
      'bundle KB',
      'first request',
      'import ms',
      'request ms',
      'import + request ms',
      'process ms',
      'ratio init',
      'ratio process',
    ],
    cs.rows.map((r) => [
      r.function,
      n(r.bundleKB),
      r.firstRequest,
      ms(r.importMs),
      r.firstRequest === 'import only' ? '—' : ms(r.requestMs),
      ms(r.initMs),
      ms(r.processMs),
      x(r.ratio.init),
      x(r.ratio.process),
    ]),
  );
  if (cs.skipped.length) {
    lines.push(`Skipped: ${cs.skipped.map((s) => `${s.function} (${s.reason})`).join('; ')}.`, '');
  }

  lines.push(`## 7. Realtime: publish to receive, ${n(rt.subscribers)} subscribers, ${rt.rounds} rounds`, '');
  table(
    ['path', 'p50 ms', 'p99 ms', 'mean ms', 'samples'],
    [
      [
        'backend publisher → local AppSync endpoint → subscribers',
        ms(rt.appsync.p50),
        ms(rt.appsync.p99),
        ms(rt.appsync.mean),
        n(rt.appsync.samples),
      ],
      [
        'bare `ws` broadcast of the same message (baseline)',
        ms(rt.bareWs.p50),
        ms(rt.bareWs.p99),
        ms(rt.bareWs.mean),
        n(rt.bareWs.samples),
      ],
      [bold('ratio'), x(rt.ratio.p50), x(rt.ratio.p99), '', ''],
    ],
  );
  renderLiveBytes(lb, lines, table);
  renderSdkSize(result.sdkSize, lines, table);
  renderPlayerCpu(result.playerCpu, lines, table);
  return lines.join('\n');
}

type Table = (header: string[], rows: (string | number)[][]) => void;

function renderSdkSize(size: SdkSizeResult, lines: string[], table: Table): void {
  const { sdk, player } = size;
  lines.push(
    '## 9. Download size: the viewer SDK and the player',
    '',
    `\`client/index.ts\` bundled by esbuild for browsers (ESM, es2022, minified), gzip level ${size.gzipLevel}; ` +
      `against issue 10's budget of 15 KB minified + gzip. The player for information: its entry and the chunks it ` +
      `imports from the web build (\`web/build.ts\`, the SDK inside), each file gzipped alike.`,
    '',
  );
  table(
    ['bundle', 'files', 'min bytes', 'min+gzip bytes', 'budget bytes', 'ratio to budget'],
    [
      [
        'viewer SDK (`client/index.ts`)',
        sdk.files,
        n(sdk.minBytes),
        n(sdk.gzipBytes),
        n(size.budgetBytes),
        x(size.ratioToBudget),
      ],
      [
        'player (`<hybrid-live-chat>` with the SDK)',
        player.files,
        n(player.minBytes),
        n(player.gzipBytes),
        '—',
        '—',
      ],
    ],
  );
}

function renderPlayerCpu(cpu: PlayerCpuResult, lines: string[], table: Table): void {
  const perPoll = cpu.perSecond * cpu.pollIntervalSeconds;
  const { player: p, baseline: b, batchedBaseline: bb } = cpu;
  lines.push(
    `## 10. Browser CPU per 1,000 comments at ${n(cpu.perSecond)} comments/s (${n(cpu.comments)} comments, Chromium ${cpu.browser})`,
    '',
    'Main-thread task time of the page (DevTools `Performance.getMetrics` `TaskDuration`: script, style, layout, ' +
      'paint) from the first comment posted to the last shown. The player: the demo page following a room ' +
      `(P = ${cpu.pollIntervalSeconds} s, realtime off) while comments are posted through the local edge; its time ` +
      'includes its polling (fetch, JSON parsing, merging) besides rendering, and its list keeps the newest 200. ' +
      'Baselines in fresh pages of the same browser: the same texts appended as bare text nodes (each with a ' +
      `\`<br>\`) at the same rate, one by one as they come, and ${n(perPoll)} at a time once per poll interval, as ` +
      'the player receives them. One by one, the page lays out after every append, which batches avoid: ' +
      'the ratio to the batched baseline is what the player adds over the same DOM work. ' +
      `The player held ${n(p.delivered)} of ${n(cpu.comments)} comments at the end; ${n(p.polls)} polls in the window; ` +
      `${n(p.retries)} posts retried.`,
    '',
  );
  const row = (label: string, page: typeof b) => [
    label,
    ms(page.taskMsPerThousand),
    ms(page.taskMs),
    ms(page.scriptMs),
    ms(page.recalcStyleMs),
    ms(page.layoutMs),
    n(Number((page.windowMs / 1000).toPrecision(3))),
  ];
  table(
    ['page', 'CPU ms per 1,000 comments', 'task ms', 'script ms', 'style ms', 'layout ms', 'window s'],
    [
      row('player (demo page, polling)', p),
      row('bare text nodes, one by one (baseline)', b),
      row(`bare text nodes, ${n(perPoll)} per poll interval (baseline)`, bb),
      [bold('player ÷ one by one'), x(cpu.ratio), '', '', '', '', ''],
      [bold('player ÷ batched'), x(cpu.batchedRatio), '', '', '', '', ''],
    ],
  );
}

const SCENARIO_LABELS: Record<Scenario, string> = {
  'ticks-edge': '`live/{tick}`, busy edge location',
  'ticks-lone': '`live/{tick}`, alone at its edge, random phase',
  'plain-edge': 'naive: plain `live` every P after each answer, busy edge',
  'plain-lone': 'naive: plain `live` every P after each answer, alone',
};

function renderLiveBytes(
  lb: LiveBytesResult,
  lines: string[],
  table: (header: string[], rows: (string | number)[][]) => void,
): void {
  const viewers = lb.rates[0]?.rows.find((r) => r.scenario === 'ticks-edge')?.viewers ?? 0;
  lines.push(
    `## 8. Bytes per delivered comment: a room at ${lb.rates.map((r) => r.perSecond).join(' and ')} comments/s, ` +
      `P = ${lb.pollSeconds} s, ${lb.simulatedSeconds} s simulated per rate`,
    '',
    `Comments written through the comment store into DynamoDB Local, the real \`getLive\`/\`getLiveTick\` ` +
      `making every document on a simulated clock, one edge location modelled by the local edge cache (` +
      `${n(viewers)} viewers at random phases: each tick's document is made at its first request). ` +
      `Bytes: each document as sent, gzip level ${lb.levels.gzip} and brotli quality ${lb.levels.brotli}; baseline: ` +
      `the same comments each sent once, per delivery a JSON array of those new to the viewer, compressed alike ` +
      `(first delivery and headers left out of both). Window: P + ${n(lb.settleMs)} ms settle + ` +
      `${n(lb.earlyMs)} ms early tolerance; commit latency below ${n(lb.maxCommitLatencyMs)} ms; limit ${n(lb.liveLimit)}.`,
    '',
  );
  table(
    [
      'comments/s',
      'poller',
      'ratio gzip',
      'ratio brotli',
      'brotli B per comment',
      'missed',
      'gaps',
      'requests per viewer per P',
      'origin calls per edge per P',
      'truncated',
    ],
    lb.rates.flatMap((rate) =>
      rate.rows.map((r) => [
        n(rate.perSecond),
        SCENARIO_LABELS[r.scenario],
        x(r.ratio.gzip),
        x(r.ratio.brotli),
        r.delivered > 0 ? n(Number((r.bytes.brotli / r.delivered).toPrecision(3))) : '—',
        n(r.missed),
        n(r.gaps),
        n(r.requestsPerViewerPerTick),
        n(r.originCallsPerEdgePerTick),
        n(r.truncatedDocuments),
      ]),
    ),
  );
  const { overhead, perComment, documents } = lb.documentFit;
  lines.push(
    `Response size (calibration; least squares over ${n(documents)} busy-edge documents): ` +
      CODECS.map((codec) => `${codec} ${n(overhead[codec])} B + ${n(perComment[codec])} B per item`).join(
        '; ',
      ) +
      `. Stored comment item: ${n(lb.commentItemBytes)} B.`,
    '',
    `Conditional requests in a quiet room (no comments): the document is ` +
      CODECS.map((codec) => `${n(lb.quietRoom.documentBytes[codec])} B ${codec}`).join(', ') +
      `; a 304 would send an ETag header of about ${n(lb.quietRoom.notModifiedBytes)} B instead, saving ` +
      `${n(Number((lb.quietRoom.savedShareOfPollCost * 100).toPrecision(2)))}% of a quiet poll's CloudFront cost ` +
      '(Tokyo request + brotli body). Not adopted (ADR 0019).',
    '',
  );
}

/** The capacity plan's coefficient the benchmark key calibrates (lambdas/domain/capacity/assumptions.ts). */
export function coefficientFor(key: string): { name: string; value: number } | undefined {
  const entry = Object.entries(ASSUMPTIONS).find(
    ([, a]) => (a as { calibration?: string }).calibration === key,
  );
  return entry ? { name: entry[0], value: entry[1].value } : undefined;
}
