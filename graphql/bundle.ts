import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions } from 'esbuild';

/** `graphql/`, found from this file. */
export const graphqlDir = fileURLToPath(new URL('.', import.meta.url));
export const schemaPath = join(graphqlDir, 'schema.graphql');
export const resolversDir = join(graphqlDir, 'resolvers');

export interface ResolverFile {
  readonly typeName: string;
  readonly fieldName: string;
  /** Absolute path of the TypeScript source. */
  readonly source: string;
}

/** Every `<Type>.<field>.ts` in `graphql/resolvers/` (helpers without a dot in their name are not resolvers). */
export function resolverFiles(dir = resolversDir): ResolverFile[] {
  return readdirSync(dir)
    .map((name) => /^([A-Z]\w*)\.(\w+)\.ts$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ typeName: m[1]!, fieldName: m[2]!, source: join(dir, m[0]) }))
    .sort((a, b) => a.source.localeCompare(b.source));
}

export interface BundledResolver extends ResolverFile {
  /** The APPSYNC_JS code: ESM, `@aws-appsync/utils` left as an import for the runtime to provide. */
  readonly code: string;
}

/**
 * How each resolver is bundled, as AppSync's APPSYNC_JS runtime wants it: one
 * ESM file, `@aws-appsync/utils` external, inline source map, paths relative
 * to the project root whatever the working directory. CDK deploys exactly
 * this code (`bundleResolversSync`); the local AppSync endpoint runs exactly
 * this code (`bundleResolvers`).
 */
export function resolverBuildOptions(file: ResolverFile): BuildOptions & { write: false } {
  return {
    entryPoints: [file.source],
    absWorkingDir: join(graphqlDir, '..'),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['@aws-appsync/utils'],
    logLevel: 'silent',
  };
}

export async function bundleResolvers(
  files: readonly ResolverFile[] = resolverFiles(),
): Promise<BundledResolver[]> {
  return Promise.all(
    files.map(async (file) => ({
      ...file,
      code: onlyOutput(file, (await build(resolverBuildOptions(file))).outputFiles),
    })),
  );
}

/** The same bundles, synchronously: CDK constructs cannot await. */
export function bundleResolversSync(files: readonly ResolverFile[] = resolverFiles()): BundledResolver[] {
  return files.map((file) => ({
    ...file,
    code: onlyOutput(file, buildSync(resolverBuildOptions(file)).outputFiles),
  }));
}

function onlyOutput(file: ResolverFile, outputs: readonly { text: string }[]): string {
  if (outputs.length !== 1)
    throw new Error(`Bundling ${file.source} gave ${outputs.length} outputs instead of one.`);
  return outputs[0]!.text;
}
