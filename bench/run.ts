/**
 * `npm run bench [-- --quick]`: benchmarks on this machine, loopback only,
 * bounded in count and time. Every figure is a ratio against a baseline
 * measured in the same run. Writes bench/results/<date>.json and .md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchRealtime } from './realtime.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const started = Date.now();
const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
const realtime = await benchRealtime({ subscribers: 1000, rounds: values.quick ? 20 : 100, progress });

const date = new Date().toISOString();
const result = {
  date,
  mode: values.quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  realtime,
};
const summary = `# Benchmark ${date} (${result.mode})

Machine: ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}. Loopback only.

## Realtime: publish to receive, ${realtime.subscribers} subscribers, ${realtime.rounds} rounds

| path | p50 ms | p99 ms | mean ms | samples |
|---|---|---|---|---|
| backend publisher → local AppSync endpoint → subscribers | ${realtime.appsync.p50} | ${realtime.appsync.p99} | ${realtime.appsync.mean} | ${realtime.appsync.samples} |
| bare \`ws\` broadcast of the same message (baseline) | ${realtime.bareWs.p50} | ${realtime.bareWs.p99} | ${realtime.bareWs.mean} | ${realtime.bareWs.samples} |
| **ratio** | **${realtime.ratio.p50}×** | **${realtime.ratio.p99}×** | | |
`;
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const stem = date.slice(0, 10);
writeFileSync(join(dir, `${stem}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `${stem}.md`), summary);
console.log(`\n${summary}\nWritten to bench/results/${stem}.json and .md`);
