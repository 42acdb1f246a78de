import { describe, expect, it } from 'vitest';
import { ownCpuSeconds, processCpuSeconds } from '../../../bench/cpu-time.js';

describe('processCpuSeconds', () => {
  it('reads the same CPU time from /proc as Node counts for its own process', () => {
    // Prepare: some CPU work, so the figure is well above the clock's 10 ms ticks.
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);

    // Act
    const fromNode = ownCpuSeconds();
    const fromProc = processCpuSeconds(process.pid);

    // Assess: /proc counts in clock ticks, and is read a moment later.
    expect(fromProc).toBeGreaterThan(0.05);
    expect(Math.abs(fromProc! - fromNode)).toBeLessThan(0.1);
  });

  it('answers undefined for a process that does not exist, or no process', () => {
    expect(processCpuSeconds(2 ** 22 + 1)).toBeUndefined();
    expect(processCpuSeconds(undefined)).toBeUndefined();
  });
});
