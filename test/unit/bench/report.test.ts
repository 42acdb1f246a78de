import { describe, expect, it } from 'vitest';
import { calibrationOf, coefficientFor, renderMarkdown, type BenchResult } from '../../../bench/report.js';
import { ASSUMPTIONS } from '../../../lambdas/domain/capacity/assumptions.js';

const summary = (p50: number, p99: number) => ({ samples: 100, p50, p99, mean: p50 });

const figures = {
  edgeOffload: {
    viewers: 2000,
    intervalSeconds: 1,
    plannedPerSecond: 2000,
    load: {
      requests: 20000,
      responses: 20000,
      errors: 0,
      errorCodes: {},
      statuses: { '200': 20000 },
      outcomes: { Hit: 19500, Miss: 10, Collapsed: 490 },
      sendLateness: summary(1, 20),
      responseMs: summary(2, 40),
      elapsedMs: 10_000,
      achievedPerSecond: 2000,
    },
    originCalls: 10,
    intervalsElapsed: 10,
    originCallsPerInterval: 0.98,
    originCallsPerRequest: 0.0005,
    requestsPerOriginCall: 2000,
    floorPerRequest: 0.0005,
    ratio: 0.98,
  },
  postPath: {
    invokedWith: 'directly',
    calls: 300,
    handler: summary(10.4, 87.5),
    barePut: summary(3.54, 22.8),
    bareTransaction: summary(9.1, 70.2),
    ratio: { p50: 2.94, p99: 3.84 },
    transactionRatio: { p50: 1.14, p99: 1.25 },
    firstPost: summary(11.2, 80.1),
    firstPostTransactionRatio: { p50: 1.23, p99: 1.14 },
  },
  liveOrigin: {
    invokedWith: 'directly',
    liveLimit: 200,
    calls: 100,
    rows: [
      {
        shards: 1,
        comments: 220,
        handler: summary(23.5, 38.6),
        bareQueries: summary(16.6, 41.3),
        ratio: { p50: 1.42, p99: 0.935 },
      },
      {
        shards: 4,
        comments: 880,
        handler: summary(39.8, 129),
        bareQueries: summary(35.9, 142),
        ratio: { p50: 1.11, p99: 0.908 },
      },
    ],
  },
  capacityUnits: {
    post: {
      posts: 10,
      measured: 4,
      commentsTable: 2,
      controlTable: 2,
      minimum: 4,
      ratio: 1,
      itemBytes: { comment: 240, idempotency: 263 },
    },
    polls: [
      {
        shards: 1,
        measured: 6.5,
        measuredPerShard: 6.5,
        globalQuery: 0,
        minimum: 6.5,
        ratio: 1,
        bytesPerShard: 49605,
      },
      {
        shards: 4,
        measured: 28,
        measuredPerShard: 7,
        globalQuery: 0,
        minimum: 26,
        ratio: 1.08,
        bytesPerShard: 49787,
      },
    ],
  },
  partitionRate: {
    seconds: 60,
    unitsPerPost: 2,
    limitUnitsPerSecond: 1000,
    headroom: 0.8,
    rows: [
      {
        postsPerSecond: 1000,
        shards: 1,
        posts: 60000,
        meanUnitsPerSecond: 2000,
        busiestUnitsPerSecond: 2000,
        ratioToLimit: 2,
      },
    ],
    smallest: [{ postsPerSecond: 1000, shards: 3, busiestUnitsPerSecond: 746, ratioToLimit: 0.746 }],
  },
  coldStart: {
    repeats: 3,
    nodeBootMs: 240,
    baseline: {
      function: 'empty handler (baseline)',
      bundleKB: 0.2,
      firstRequest: 'GET live event',
      samples: 3,
      importMs: 2,
      requestMs: 2.7,
      initMs: 4.7,
      processMs: 316,
    },
    rows: [
      {
        function: 'postComment',
        bundleKB: 854,
        firstRequest: 'POST comment',
        samples: 3,
        importMs: 344,
        requestMs: 400,
        initMs: 744,
        processMs: 1160,
        ratio: { init: 158, process: 3.67 },
      },
      {
        function: 'admin',
        bundleKB: 1142,
        firstRequest: 'import only',
        samples: 3,
        importMs: 394,
        requestMs: 0,
        initMs: 394,
        processMs: 632,
        ratio: { init: 83.8, process: 2 },
      },
    ],
    skipped: [{ function: 'scaler', reason: 'does not exist yet' }],
  },
  realtime: {
    subscribers: 1000,
    rounds: 10,
    appsync: summary(88.1, 199),
    bareWs: summary(46.8, 203),
    ratio: { p50: 1.88, p99: 0.98 },
  },
  liveBytes: {
    pollSeconds: 3,
    simulatedSeconds: 30,
    settleMs: 1000,
    earlyMs: 500,
    liveLimit: 500,
    maxCommitLatencyMs: 100,
    levels: { gzip: 6, brotli: 5 },
    rates: [5, 50].map((perSecond) => ({
      perSecond,
      comments: perSecond * 35,
      rows: (['ticks-edge', 'ticks-lone', 'plain-edge', 'plain-lone'] as const).map((scenario, i) => ({
        scenario,
        viewers: scenario.endsWith('edge') ? 200 : 2,
        edges: scenario.endsWith('edge') ? 1 : 2,
        deliveries: 9,
        delivered: perSecond * 27,
        bytes: { gzip: 30_000 + i * 1000, brotli: 28_000 + i * 1000 },
        baseline: { gzip: 18_000, brotli: 16_700 },
        ratio: { gzip: 1.69 + i / 10, brotli: 1.68 + i / 10 },
        missed: scenario === 'plain-edge' ? 218 : 0,
        gaps: scenario === 'plain-edge' ? 32 : 0,
        requestsPerViewerPerTick: scenario.startsWith('plain') ? 0.976 : 1,
        originCallsPerEdgePerTick: 1,
        truncatedDocuments: 0,
      })),
    })),
    documentFit: {
      overhead: { gzip: 734, brotli: 647 },
      perComment: { gzip: 35.5, brotli: 33.8 },
      documents: 20,
    },
    commentItemBytes: 190,
    quietRoom: {
      documentBytes: { gzip: 343, brotli: 311 },
      notModifiedBytes: 37,
      savedShareOfPollCost: 0.0236,
    },
  },
  sdkSize: {
    gzipLevel: 9,
    sdk: {
      files: 1,
      minBytes: 20_340,
      gzipBytes: 8_137,
      inputs: ['client/index.ts'],
      builtinImports: [],
    },
    budgetBytes: 15_360,
    ratioToBudget: 0.53,
    player: { files: 2, minBytes: 42_266, gzipBytes: 14_807 },
  },
  playerCpu: {
    browser: '156.0.8078.129',
    comments: 300,
    perSecond: 50,
    pollIntervalSeconds: 3,
    player: {
      taskMs: 107.7,
      scriptMs: 13.67,
      recalcStyleMs: 3.904,
      layoutMs: 13.07,
      windowMs: 8303,
      taskMsPerThousand: 359,
      delivered: 300,
      polls: 3,
      retries: 0,
    },
    baseline: {
      taskMs: 963,
      scriptMs: 72.26,
      recalcStyleMs: 49.08,
      layoutMs: 294.4,
      windowMs: 6053,
      taskMsPerThousand: 3210,
    },
    batchedBaseline: {
      taskMs: 52.31,
      scriptMs: 8.612,
      recalcStyleMs: 1.654,
      layoutMs: 15.05,
      windowMs: 6059,
      taskMsPerThousand: 174.4,
    },
    ratio: 0.112,
    batchedRatio: 2.06,
  },
} satisfies Omit<BenchResult, 'date' | 'mode' | 'machine' | 'elapsedSeconds' | 'calibration'>;

const result: BenchResult = {
  date: '2026-11-21T22:37:50.378Z',
  mode: 'quick',
  machine: { cpus: 2, cpu: 'Test CPU', memoryGB: 24, node: 'v20.20.2', platform: 'linux' },
  elapsedSeconds: 96,
  calibration: calibrationOf(figures),
  ...figures,
};

describe('calibrationOf', () => {
  it('carries the coefficients under their stable names, each from its figure', () => {
    expect(calibrationOf(figures)).toEqual({
      writeUnitsPerPost: 4,
      commentTableWriteUnitsPerPost: 2,
      // The larger of the rooms measured: the plan sizes for the worse one.
      readUnitsPerLivePollPerShard: 7,
      postHandlerP50Ms: 10.4,
      postHandlerP99Ms: 87.5,
      // The slowest shard count measured.
      liveHandlerP50Ms: 39.8,
      liveHandlerP99Ms: 129,
      originCallsPerInterval: 0.98,
      // Figure 8: the stored item, and the brotli fit the cost model's response size uses.
      commentItemBytes: 190,
      liveDocumentOverheadBytes: 647,
      liveBytesPerComment: 33.8,
    });
  });

  it('refuses to calibrate without a live room measured', () => {
    expect(() => calibrationOf({ ...figures, liveOrigin: { ...figures.liveOrigin, rows: [] } })).toThrow(
      /live room/,
    );
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(result);

  it('starts with the machine, then one table per figure', () => {
    expect(markdown.split('\n')[2]).toMatch(/^Machine: 2 × Test CPU, 24 GB, linux, Node v20\.20\.2\./);
    for (const heading of [
      '## 1. Edge offload',
      '## 2. Post path',
      '## 3. Live origin',
      '## 4. Capacity units',
      '## 5. Busiest comment partition',
      '## 6. Cold start',
      '## 7. Realtime',
      '## 8. Bytes per delivered comment',
      '## 9. Download size',
      '## 10. Browser CPU per 1,000 comments at 50 comments/s',
    ]) {
      expect(markdown).toContain(heading);
    }
  });

  it('says how many polls failed in transport, and why, when some did', () => {
    const load = { ...result.edgeOffload.load, responses: 19_996, errors: 4, errorCodes: { ECONNRESET: 4 } };
    const text = renderMarkdown({ ...result, edgeOffload: { ...result.edgeOffload, load } });

    expect(text).toContain('4 requests failed in transport {"ECONNRESET":4}, left out.');
    expect(markdown).not.toContain('failed in transport');
  });

  it('shows the post handler against both baselines', () => {
    expect(markdown).toContain('| bare TransactWriteItems, same items (baseline) | 9.1 | 70.2 |');
    expect(markdown).toContain('| **handler ÷ TransactWriteItems** | **1.14×** | **1.25×** |');
    expect(markdown).toContain('| **handler ÷ PutItem** | **2.94×** | **3.84×** |');
    expect(markdown).toContain('| **first posts ÷ TransactWriteItems** | **1.23×** | **1.14×** |');
  });

  it('bolds every value in a ratio column', () => {
    const rows = markdown.split('\n');
    let ratioColumns: number[] = [];
    let checked = 0;
    for (const row of rows) {
      if (!row.startsWith('|')) {
        ratioColumns = [];
        continue;
      }
      const cells = row
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (ratioColumns.length === 0) {
        ratioColumns = cells.flatMap((cell, i) => (/^ratio\b/.test(cell) ? [i] : []));
        continue;
      }
      if (cells.every((c) => c === '---')) continue;
      for (const i of ratioColumns) {
        if (cells[i] === '' || cells[i] === '—') continue;
        expect(cells[i]).toMatch(/^\*\*.+×\*\*$/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('shows the measured ratios, the skipped functions and the stable calibration names', () => {
    expect(markdown).toContain('| **handler ÷ PutItem** | **2.94×** | **3.84×** |');
    expect(markdown).toContain('| 1,000 | 3 | 746 | **0.746×** |');
    expect(markdown).toContain('Skipped: scaler (does not exist yet).');
    expect(markdown).toContain('| `originCallsPerInterval` | 0.98 |');
    expect(markdown).not.toContain('Note: the poller fell behind');
  });

  it('shows bytes per delivered comment per rate and poller, with misses, requests and origin calls', () => {
    expect(markdown).toContain(
      '| 5 | `live/{tick}`, busy edge location | **1.69×** | **1.68×** | 207 | 0 | 0 | 1 | 1 | 0 |',
    );
    expect(markdown).toContain(
      '| 50 | naive: plain `live` every P after each answer, busy edge | **1.89×** | **1.88×** | 22.2 | 218 | 32 | 0.976 | 1 | 0 |',
    );
    expect(markdown).toContain('gzip level 6 and brotli quality 5');
    expect(markdown).toContain('brotli 647 B + 33.8 B per item');
    expect(markdown).toContain('saving 2.4% of a quiet poll');
    expect(markdown).toContain('| `liveBytesPerComment` | 33.8 | `liveBytesPerComment` | 34 |');
  });

  it("shows the SDK's size against its budget, and the player's for information", () => {
    expect(markdown).toContain(
      '| viewer SDK (`client/index.ts`) | 1 | 20,340 | 8,137 | 15,360 | **0.53×** |',
    );
    expect(markdown).toContain(
      '| player (`<hybrid-live-chat>` with the SDK) | 2 | 42,266 | 14,807 | — | — |',
    );
    expect(markdown).toContain('gzip level 9');
  });

  it("shows the player's CPU per 1,000 comments against both bare-text baselines", () => {
    expect(markdown).toContain('| player (demo page, polling) | 359 | 108 | 13.7 | 3.9 | 13.1 | 8.3 |');
    expect(markdown).toContain('| bare text nodes, one by one (baseline) | 3,210 | 963 |');
    expect(markdown).toContain('| bare text nodes, 150 per poll interval (baseline) | 174 |');
    expect(markdown).toContain('| **player ÷ one by one** | **0.112×** |');
    expect(markdown).toContain('| **player ÷ batched** | **2.06×** |');
    expect(markdown).toContain('includes its polling (fetch, JSON parsing, merging)');
    expect(markdown).toContain(
      'The player held 300 of 300 comments at the end; 3 polls in the window; 0 posts retried.',
    );
  });

  it('says so when the poller could not keep its schedule', () => {
    const behind = renderMarkdown({
      ...result,
      edgeOffload: { ...figures.edgeOffload, load: { ...figures.edgeOffload.load, achievedPerSecond: 1200 } },
    });

    expect(behind).toContain('Note: the poller fell behind its plan (2,000/s planned)');
  });
});

describe('coefficientFor', () => {
  it("names the capacity plan's coefficient each calibration key measures", () => {
    expect(coefficientFor('commentTableWriteUnitsPerPost')).toEqual({
      name: 'commentsWriteUnitsPerPost',
      value: ASSUMPTIONS.commentsWriteUnitsPerPost.value,
    });
    // Measured across both tables with slow mode off: no single coefficient is that.
    expect(coefficientFor('writeUnitsPerPost')).toBeUndefined();
    expect(coefficientFor('postHandlerP50Ms')?.name).toBe('postHandlerMs');
    expect(coefficientFor('no-such-key')).toBeUndefined();
  });
});
