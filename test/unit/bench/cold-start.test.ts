import { describe, expect, it } from 'vitest';
import { CDK_BUNDLING } from '../../../bench/cold-start.js';
import { ESM_REQUIRE_SHIM, FUNCTION_BUNDLING } from '../../../lib/bundling.js';

describe('cold-start bundling', () => {
  it('bundles as CDK does (lib/bundling.ts): ESM for node22 with the require shim, minified, source maps', () => {
    expect(CDK_BUNDLING).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: FUNCTION_BUNDLING.target,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_SHIM },
      minify: true,
      keepNames: true,
      sourcemap: true,
      sourcesContent: false,
    });
    expect(FUNCTION_BUNDLING.target).toBe('node22');
  });
});
