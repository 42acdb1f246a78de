/**
 * CPU time a process has used, so `npm run load` can say which of the processes sharing the
 * machine's cores was busy in a stage: Node's own counter for this process, Linux's /proc for
 * another (DynamoDB Local's JVM).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** This process's user + system CPU seconds. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Another process's user + system CPU seconds; undefined where /proc does not have it. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: index 0 is field 3 (state), so
    // utime (field 14) and stime (field 15) are at 11 and 12, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / clockTicksPerSecond() : undefined;
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}
