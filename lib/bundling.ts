/**
 * How every function is bundled: CDK's NodejsFunction runs esbuild with these
 * (lib/constructs/chat-function.ts), and the benchmark bundles the same way to
 * measure bundle sizes and cold starts (bench/cold-start.ts). No CDK imports,
 * so the benchmark can read it without loading aws-cdk-lib.
 */

/** ESM bundles have no `require`; some dependencies still call it. */
export const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const FUNCTION_BUNDLING = {
  format: 'esm',
  /** The Lambda runtime, nodejs22.x. */
  target: 'node22',
  // Prefer ESM builds of dependencies: smaller bundles, tree-shaken.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  minify: true,
  /**
   * Minified, classes keep their names: errors are logged and told apart by `name`
   * (`ChatError` subclasses set it from `new.target.name`), and Powertools logs it.
   */
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  /** Source maps are read at run time only with this flag. */
  nodeOptions: '--enable-source-maps',
} as const;
