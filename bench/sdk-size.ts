import { build, type BuildOptions } from 'esbuild';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../local/paths.js';
import { buildPlayer } from '../web/build.js';
import { ratio } from './stats.js';

/**
 * Figure 9: what a viewer downloads. The SDK (`client/index.ts`) bundled for
 * browsers as a host page's bundler would take it, minified and gzipped,
 * against the budget; the player's own bundle (`web/build.ts`: its
 * entry and the chunks it imports, each file gzipped as a CDN sends it) for
 * information.
 */

/** Issue 10: the SDK ≤ 15 KB minified + gzip. */
export const SDK_BUDGET_BYTES = 15 * 1024;
/** The strongest gzip: the budget is about the code, not a CDN's on-the-fly level. */
export const SIZE_GZIP_LEVEL = 9;

export const SDK_BUNDLING = {
  entryPoints: [join(projectRoot, 'client/index.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  write: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

export interface BundleSize {
  readonly files: number;
  readonly minBytes: number;
  readonly gzipBytes: number;
}

export interface SdkBundle extends BundleSize {
  /** Source files in the bundle, relative to the project. */
  readonly inputs: readonly string[];
  /** Imports of Node built-ins anywhere in the bundle's graph (none may resolve for a browser). */
  readonly builtinImports: readonly string[];
}

export interface SdkSizeResult {
  readonly gzipLevel: number;
  readonly sdk: SdkBundle;
  readonly budgetBytes: number;
  /** SDK min+gzip ÷ budget: at most 1 meets it. */
  readonly ratioToBudget: number;
  readonly player: BundleSize;
}

const gzipBytes = (contents: Uint8Array) => gzipSync(contents, { level: SIZE_GZIP_LEVEL }).length;

/** Bundles the SDK for browsers; esbuild fails on any import a browser cannot resolve. */
export async function sdkBundle(): Promise<SdkBundle> {
  const result = await build({ ...SDK_BUNDLING, absWorkingDir: projectRoot });
  const [file, ...rest] = result.outputFiles;
  if (!file || rest.length > 0) throw new Error('The SDK bundle is expected as one file.');
  const inputs = Object.keys(result.metafile.inputs);
  const builtinImports = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.path.startsWith('node:') || isBuiltin(i.path)).map((i) => i.path),
  );
  return {
    files: 1,
    minBytes: file.contents.length,
    gzipBytes: gzipBytes(file.contents),
    inputs,
    builtinImports,
  };
}

/** The player's entry (what `embed.js` names) and every chunk it imports, transitively. */
export async function playerBundleSize(): Promise<BundleSize> {
  const app = await buildPlayer();
  const text = (path: string) => new TextDecoder().decode(app.get(path)!.contents);
  // Static imports of relative paths, resolved against the importing file's folder.
  const imports = (from: string) =>
    [...text(from).matchAll(/(?:from|import)\s*["'](\.\/[\w./-]+\.js)["']/g)].map((m) =>
      posix.join(posix.dirname(from), m[1]!),
    );
  const seen = new Set<string>();
  const queue = imports('embed.js');
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    if (!app.has(path)) throw new Error(`The player imports ${path}, which the build did not make.`);
    seen.add(path);
    queue.push(...imports(path));
  }
  if (seen.size === 0) throw new Error('embed.js names no player bundle.');
  let minBytes = 0;
  let gzip = 0;
  for (const path of seen) {
    const { contents } = app.get(path)!;
    minBytes += contents.length;
    gzip += gzipBytes(contents);
  }
  return { files: seen.size, minBytes, gzipBytes: gzip };
}

export async function benchSdkSize(): Promise<SdkSizeResult> {
  const [sdk, player] = await Promise.all([sdkBundle(), playerBundleSize()]);
  return {
    gzipLevel: SIZE_GZIP_LEVEL,
    sdk,
    budgetBytes: SDK_BUDGET_BYTES,
    ratioToBudget: ratio(sdk.gzipBytes, SDK_BUDGET_BYTES),
    player,
  };
}
