import { describe, expect, it } from 'vitest';
import { SDK_BUDGET_BYTES, SDK_BUNDLING, sdkBundle } from '../../../bench/sdk-size.js';

/** A size budget, not a timing: it holds on any machine, so it is a test (the bench reports it too). */
describe('viewer SDK bundle', () => {
  it('bundles client/index.ts for browsers as an ES2022 module, minified', () => {
    expect(SDK_BUNDLING).toMatchObject({
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
    });
    expect(SDK_BUNDLING.entryPoints[0]).toMatch(/client[\\/]index\.ts$/);
  });

  it('stays within 15 KB minified + gzip', async () => {
    const bundle = await sdkBundle();

    expect(SDK_BUDGET_BYTES).toBe(15_360);
    expect(bundle.gzipBytes).toBeGreaterThan(0);
    expect(bundle.gzipBytes).toBeLessThanOrEqual(SDK_BUDGET_BYTES);
    expect(bundle.minBytes).toBeGreaterThan(bundle.gzipBytes);
  });

  it("imports no Node built-in, and of the server's code only its domain", async () => {
    // Bundling for the browser platform fails on a Node built-in; the metafile shows what got in.
    const bundle = await sdkBundle();

    expect(bundle.builtinImports).toEqual([]);
    expect(bundle.inputs).toContain('client/index.ts');
    const serverCode = bundle.inputs.filter((input) =>
      /^(lambdas\/(?!domain\/)|local\/|lib\/|bin\/)/.test(input),
    );
    expect(serverCode).toEqual([]);
  });
});
