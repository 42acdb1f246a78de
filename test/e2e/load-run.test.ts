import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageReport } from '../../bench/load-report.js';
import { projectRoot } from '../../local/paths.js';

const run = promisify(execFile);

/** `npm run load` on a tiny stage: it keeps working (shape and zero errors), no timed assertions. */
describe('npm run load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs a stage through the local edge and reports it with zero errors',
    { timeout: 180_000 },
    async () => {
      // Prepare
      const out = join(dir, 'load.json');

      // Act: 50 viewers, a few posts a second (a busy shared machine still keeps up), 3 s
      const { stdout } = await run(
        process.execPath,
        [
          ...['--import', 'tsx', 'bench/load.ts', '--stages', '50', '--seconds', '3'],
          ...['--posts-per-second', '5', '--posters', '10', '--out', out],
        ],
        { cwd: projectRoot, timeout: 170_000 },
      );

      // Assess
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        machine: { cpus: number; loadAverageBefore: number[] };
        stages: StageReport[];
      };
      expect(report.machine.cpus).toBeGreaterThan(0);
      expect(report.machine.loadAverageBefore).toHaveLength(3);
      expect(report.stages).toHaveLength(1);
      const [stage] = report.stages;
      expect(stage!.viewers).toBe(50);
      expect(stage!.errorCodes).toEqual({});
      expect(stage!.errors).toBe(0);
      expect(stage!.pollsPerSecond.achieved).toBeGreaterThan(0);
      expect(stage!.posts.achievedPerSecond).toBeGreaterThan(0);
      // Every viewer's request went through the edge, and the edge's misses are its origin calls.
      expect(stage!.edgeRequests).toBeGreaterThanOrEqual(50);
      expect(stage!.originCallsPerInterval.live).toBeGreaterThan(0);
      expect(stage!.edgeOriginCalls).toBeLessThan(stage!.edgeRequests);
      expect(stage!.stackEventLoop.samples).toBeGreaterThan(0);
      expect(stage!.generatorEventLoop.samples).toBeGreaterThan(0);
      // Each of the three processes did work in the stage, DynamoDB Local's read from /proc.
      expect(stage!.cpuCores.stack).toBeGreaterThan(0);
      expect(stage!.cpuCores.dynamodbLocal).toBeGreaterThan(0);
      expect(stage!.cpuCores.generator).toBeGreaterThan(0);
      expect(stage!.coefficients.map((c) => c.name)).toEqual(
        expect.arrayContaining(['originFetchesPerLocationPerInterval', 'postHandlerMs', 'liveHandlerMs']),
      );
      expect(readFileSync(join(dir, 'load.md'), 'utf8')).toMatch(/^\| viewers \| requests \/ errors/);
      expect(stdout).toContain('| 50 | ');
    },
  );
});
