/**
 * `npm run bench [-- --quick]`: benchmarks on this machine, loopback only,
 * bounded in count and time. Every figure is a ratio against a baseline
 * measured in the same run. Writes bench/results/<date>.json and .md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalStack } from '../local/stack.js';
import { benchCapacityUnits } from './capacity-units.js';
import { benchColdStart } from './cold-start.js';
import { benchEdgeOffload } from './edge-offload.js';
import { benchStores, createBenchRoom, dynamoOptions } from './fixtures.js';
import { benchLiveBytes } from './live-bytes.js';
import { benchLiveOrigin, liveLimit, prepareLiveRooms } from './live-origin.js';
import { benchPartitionRate } from './partition-figure.js';
import { benchPlayerCpu } from './player-cpu.js';
import { benchPostPath } from './post-path.js';
import { benchRealtime } from './realtime.js';
import { calibrationOf, renderMarkdown, type Figures } from './report.js';
import { benchSdkSize } from './sdk-size.js';
import { benchViewLimits, renderViewLimits, type ViewLimitsResult } from './view-limits.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
// Lambda runs Node 22; the SDK's notice about this process's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Sizes per mode: quick stays under two minutes on two cores, full under ten.
 * Both poll at 2,000 requests/s, about what one loopback edge process and one
 * poller process sustain here with the rest of the stack running: quick with
 * 2,000 viewers every second, full with 10,000 every 5 s for twelve intervals.
 */
const SIZES = values.quick
  ? {
      viewers: 2_000,
      intervalSeconds: 1,
      edgeSeconds: 10,
      postCalls: 300,
      liveCalls: 100,
      partitionSeconds: 60,
      coldRepeats: 5,
      realtimeRounds: 10,
      bytesSeconds: 30,
      cpuComments: 300,
    }
  : {
      viewers: 10_000,
      intervalSeconds: 5,
      edgeSeconds: 60,
      postCalls: 2_000,
      liveCalls: 1_000,
      partitionSeconds: 300,
      coldRepeats: 7,
      realtimeRounds: 100,
      bytesSeconds: 300,
      cpuComments: 1_000,
    };

const started = Date.now();
const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);

progress('starting the local stack (DynamoDB Local in memory)…');
const stack = await startLocalStack({ seed: false, logLevel: 'ERROR' });
let figures: Omit<Figures, 'realtime' | 'sdkSize'>;
let viewLimits: ViewLimitsResult;
try {
  progress('filling the live rooms…');
  const liveRooms = await prepareLiveRooms(stack, progress);
  progress('figure 4: capacity units…');
  const capacityUnits = await benchCapacityUnits(stack, liveRooms);
  progress(`figure 2: post path, ${SIZES.postCalls} pairs…`);
  const postPath = await benchPostPath(stack, { calls: SIZES.postCalls, progress });
  progress(`figure 3: live origin…`);
  const liveOrigin = await benchLiveOrigin(stack, liveRooms, { calls: SIZES.liveCalls, progress });
  progress('figure 1: edge offload…');
  const edgeOffload = await benchEdgeOffload(stack, {
    viewers: SIZES.viewers,
    intervalSeconds: SIZES.intervalSeconds,
    durationSeconds: SIZES.edgeSeconds,
    progress,
  });
  progress('figure 5: partition write rate (simulated)…');
  const partitionRate = benchPartitionRate({
    unitsPerPost: capacityUnits.post.commentsTable,
    seconds: SIZES.partitionSeconds,
  });
  progress(`figure 6: cold start, ${SIZES.coldRepeats} rounds…`);
  const coldStart = await benchColdStart(stack, { repeats: SIZES.coldRepeats, progress });
  progress(`figure 8: bytes per delivered comment, ${SIZES.bytesSeconds} s simulated per rate…`);
  const liveBytes = await benchLiveBytesOn(stack, SIZES.bytesSeconds);
  progress(`figure 10: browser CPU, ${SIZES.cpuComments} comments at 50/s in Chromium…`);
  const playerCpu = await benchPlayerCpu(stack, { comments: SIZES.cpuComments, perSecond: 50, progress });
  progress('figure 11: the view-limit batch over 100,000 records…');
  viewLimits = await benchViewLimits(
    { dynamo: dynamoOptions(stack), tables: stack.tables },
    { sizes: [1_000, 5_000, 50_000, 100_000], rounds: values.quick ? 1 : 3, progress },
  );
  figures = {
    capacityUnits,
    postPath,
    liveOrigin,
    edgeOffload,
    partitionRate,
    coldStart,
    liveBytes,
    playerCpu,
  };
} finally {
  await stack.stop();
}
progress(`realtime: ${SIZES.realtimeRounds} rounds…`);
const realtime = await benchRealtime({ subscribers: 1000, rounds: SIZES.realtimeRounds, progress });
progress('figure 9: SDK and player bundle sizes…');
const sdkSize = await benchSdkSize();

/** Figure 8 over the stack's tables: rooms of P = 3 s, one shard, written through the comment store. */
async function benchLiveBytesOn(local: typeof stack, simulatedSeconds: number) {
  const { rooms, comments } = benchStores(local);
  return benchLiveBytes(
    { rooms, comments },
    {
      roomIdPrefix: 'bench-bytes',
      rates: [5, 50],
      pollSeconds: 3,
      simulatedSeconds,
      liveLimit: liveLimit(local),
      edgeViewers: 200,
      loneViewers: 4,
      maxCommitLatencyMs: 100,
      seed: 2026,
      createRoom: async (roomId, pollIntervalSeconds) => {
        await createBenchRoom(rooms, roomId, 1, { pollIntervalSeconds });
      },
      progress,
    },
  );
}

const date = new Date().toISOString();
const result = {
  date,
  mode: values.quick ? ('quick' as const) : ('full' as const),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()} ${release()}`,
  },
  elapsedSeconds: Math.round((Date.now() - started) / 1000),
  calibration: calibrationOf(figures),
  ...figures,
  realtime,
  sdkSize,
  viewLimits,
};
const summary = `${renderMarkdown(result)}\n${renderViewLimits(viewLimits)}`;
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const stem = date.slice(0, 10);
writeFileSync(join(dir, `${stem}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `${stem}.md`), summary);
console.log(`\n${summary}\nWritten to bench/results/${stem}.json and .md`);
// Keep-alive sockets of the handlers' clients would hold the process open.
process.exit(0);
