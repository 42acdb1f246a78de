import { createHash } from 'node:crypto';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleResolvers, type BundledResolver } from '../../graphql/bundle.js';
import { projectRoot } from '../paths.js';
import {
  EarlyReturn,
  ResolverError,
  runInResolverScope,
  type AuthTypeName,
  type ResolverScope,
} from './utils-runtime.js';

/** Where the runnable copies of the bundles go (git-ignored). */
export const bundleOutputDir = join(projectRoot, '.build', 'appsync-local');

/** The module that stands in for `@aws-appsync/utils` at run time. */
export const utilsRuntimeUrl = new URL('./utils-runtime.ts', import.meta.url).href;

type Handler = (ctx: ResolverContext) => unknown;

export interface LoadedResolver {
  readonly typeName: string;
  readonly fieldName: string;
  /** The file that was imported: the bundle with only its `@aws-appsync/utils` specifier rewritten. */
  readonly file: string;
  readonly request: Handler;
  readonly response: Handler;
}

/** `Type.field` → its resolver. */
export type ResolverMap = ReadonlyMap<string, LoadedResolver>;

const UTILS_IMPORT = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])@aws-appsync\/utils\2/g;

/** The bundle's code with the `@aws-appsync/utils` import specifier (and nothing else) pointed at `runtimeUrl`. */
export function rewriteUtilsImport(code: string, runtimeUrl = utilsRuntimeUrl): string {
  return code.replace(
    UTILS_IMPORT,
    (_m, prefix: string, quote: string) => `${prefix}${quote}${runtimeUrl}${quote}`,
  );
}

/**
 * Imports the APPSYNC_JS bundles CDK deploys (`bundleResolvers()`): each is
 * written under `.build/appsync-local/` with its `@aws-appsync/utils` import
 * rewritten to this runtime's file URL, then imported. The file name carries
 * a hash of the code, so a changed resolver is a new module and concurrent
 * processes never read a half-written file.
 */
export async function loadResolvers(bundles?: readonly BundledResolver[]): Promise<ResolverMap> {
  const resolved = bundles ?? (await bundleResolvers());
  await mkdir(bundleOutputDir, { recursive: true });
  await linkSources();
  const loaded = await Promise.all(resolved.map((bundle) => loadBundle(bundle)));
  return new Map(loaded.map((resolver) => [`${resolver.typeName}.${resolver.fieldName}`, resolver]));
}

/**
 * The bundles' inline source maps name their sources relative to the working
 * directory esbuild ran in (the project root under `npm start` and Vitest). A
 * `graphql` link beside the copies lets those paths resolve, so stack traces
 * and debuggers show the TypeScript resolvers.
 */
async function linkSources(): Promise<void> {
  if (resolve(process.cwd()) !== resolve(projectRoot)) return;
  try {
    await symlink(join('..', '..', 'graphql'), join(bundleOutputDir, 'graphql'), 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

async function loadBundle(bundle: BundledResolver): Promise<LoadedResolver> {
  const code = rewriteUtilsImport(bundle.code);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(bundleOutputDir, `${bundle.typeName}.${bundle.fieldName}.${hash}.mjs`);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, code);
  await rename(temporary, file);
  const module = (await import(pathToFileURL(file).href)) as Partial<Record<'request' | 'response', Handler>>;
  if (typeof module.request !== 'function' || typeof module.response !== 'function') {
    throw new Error(`${bundle.source} must export request and response functions.`);
  }
  return {
    typeName: bundle.typeName,
    fieldName: bundle.fieldName,
    file,
    request: module.request,
    response: module.response,
  };
}

/** The caller, as AppSync fills `ctx.identity` (null for API key callers). */
export type ResolverIdentity = Record<string, unknown> | null;

export interface ResolverContext {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: ResolverIdentity;
  source: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  result: unknown;
  error?: { message: string; type?: string };
  request: { headers: Record<string, string>; domainName: string | null };
  info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
  env: Record<string, string>;
}

export interface ResolverCall {
  readonly args: Record<string, unknown>;
  readonly identity: ResolverIdentity;
  readonly authType?: AuthTypeName;
  readonly source?: unknown;
  readonly headers?: Record<string, string>;
  readonly variables?: Record<string, unknown>;
  readonly selectionSetList?: string[];
  readonly selectionSetGraphQL?: string;
}

export type ResolverOutcome =
  | { readonly ok: true; readonly value: unknown; readonly scope: ResolverScope }
  | { readonly ok: false; readonly error: ResolverError; readonly scope: ResolverScope };

/** AppSync passes values between handlers as JSON: the same here, so a handler never shares objects with another. */
const viaJson = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

/**
 * One unit resolver call with a NONE data source: `request(ctx)`, whose
 * `payload` becomes `ctx.result`, then `response(ctx)`. `util.error` ends it
 * with an error; `runtime.earlyReturn` in `request` skips the data source and
 * `response`. Everything the call sets (filters, appended errors) is in
 * `scope`, and only there.
 */
export function invokeResolver(resolver: LoadedResolver, call: ResolverCall): ResolverOutcome {
  const ctx: ResolverContext = {
    arguments: call.args,
    args: call.args,
    identity: call.identity,
    source: call.source ?? null,
    stash: {},
    prev: { result: undefined },
    result: undefined,
    request: { headers: call.headers ?? {}, domainName: null },
    info: {
      fieldName: resolver.fieldName,
      parentTypeName: resolver.typeName,
      variables: call.variables ?? {},
      selectionSetList: call.selectionSetList ?? [],
      selectionSetGraphQL: call.selectionSetGraphQL ?? '',
    },
    env: {},
  };
  const { value, scope } = runInResolverScope(
    {
      typeName: resolver.typeName,
      fieldName: resolver.fieldName,
      ...(call.authType ? { authType: call.authType } : {}),
    },
    (): { ok: true; value: unknown } | { ok: false; error: ResolverError } => {
      try {
        let request: unknown;
        try {
          request = viaJson(resolver.request(ctx));
        } catch (thrown) {
          if (thrown instanceof EarlyReturn) return { ok: true, value: viaJson(thrown.value) ?? null };
          throw thrown;
        }
        const payload =
          typeof request === 'object' && request !== null
            ? (request as { payload?: unknown }).payload
            : undefined;
        ctx.result = payload === undefined ? null : payload;
        ctx.prev = { result: ctx.result };
        let result: unknown;
        try {
          result = resolver.response(ctx);
        } catch (thrown) {
          if (thrown instanceof EarlyReturn) return { ok: true, value: viaJson(thrown.value) ?? null };
          throw thrown;
        }
        return { ok: true, value: viaJson(result) ?? null };
      } catch (thrown) {
        if (thrown instanceof ResolverError) return { ok: false, error: thrown };
        // A bug in the resolver code: AppSync reports it as a code error on the field.
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        return { ok: false, error: new ResolverError(message, 'Code') };
      }
    },
  );
  return value.ok ? { ok: true, value: value.value, scope } : { ok: false, error: value.error, scope };
}
