import { vi } from 'vitest';

/**
 * Everything written to stdout from now on (Powertools Metrics writes EMF there), parsed where it
 * is an EMF document. Restore with `vi.restoreAllMocks()`.
 */
export function captureEmf(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void capture(line));
  return () =>
    lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** An EMF document's dimensions as name → value (its one dimension set). */
export function emfDimensions(emf: Record<string, unknown>): Record<string, unknown> {
  const [directive] = (emf._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics;
  const [names] = directive!.Dimensions;
  return Object.fromEntries((names ?? []).map((name) => [name, emf[name]]));
}
