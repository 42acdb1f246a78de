import { describe, expect, it } from 'vitest';
import { CDK_BUNDLING, functionEnvironment } from '../../../bench/cold-start.js';
import {
  AdminConfig,
  parseConfig,
  PostConfig,
  ReadConfig,
  ScalerConfig,
  SegmentConfig,
} from '../../../lambdas/config.js';
import type { LocalStack } from '../../../local/stack.js';
import { ESM_REQUIRE_SHIM, FUNCTION_BUNDLING } from '../../../lib/bundling.js';

describe('cold-start bundling', () => {
  it('bundles as CDK does (lib/bundling.ts): ESM for node22 with the require shim, minified with names kept, no source maps', () => {
    expect(CDK_BUNDLING).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: FUNCTION_BUNDLING.target,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_SHIM },
      minify: true,
      keepNames: true,
      sourcemap: false,
    });
    expect(FUNCTION_BUNDLING.target).toBe('node22');
  });
});

describe('the cold-start functions’ environment', () => {
  it('starts every function the benchmark cold-starts: each kind’s configuration parses', () => {
    const stack = {
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      tables: { comments: 'comments', control: 'control' },
      edgeUrl: 'http://127.0.0.1:3000',
      realtime: { httpGraphqlUrl: 'http://127.0.0.1:3001/graphql' },
      archive: { bucket: 'archive' },
    } as unknown as LocalStack;
    const env = functionEnvironment(stack, 'http://127.0.0.1:4000');

    for (const schema of [ReadConfig, SegmentConfig, PostConfig, AdminConfig, ScalerConfig]) {
      expect(() => parseConfig(schema, env)).not.toThrow();
    }
  });
});
