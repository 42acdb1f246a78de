import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../local/paths.js';

/**
 * The layering the project relies on (README: Layout): the domain imports
 * nothing of AWS, Lambda or the layers around it; no module of the functions
 * takes part in an import cycle, type imports included; CDK composes the
 * functions from their entries and the shared tables, never from handlers.
 */
const graph = (path: string) =>
  madge(path, {
    baseDir: projectRoot,
    fileExtensions: ['ts'],
    tsConfig: `${projectRoot}/tsconfig.json`,
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });

// madge parses every module: seconds of CPU, more on a busy machine.
describe('module boundaries', { timeout: 30_000 }, () => {
  it('finds no import cycle in lambdas/, type-only imports included', async () => {
    const result = await graph('lambdas');
    expect(Object.keys(result.obj()).length).toBeGreaterThan(50);
    expect(result.warnings().skipped).toEqual([]);
    expect(result.circular()).toEqual([]);
  });

  it('keeps lambdas/ free of the local runtime: no import of local/, no LOCAL_* switch', async () => {
    const result = await graph('lambdas');
    const offenders = Object.entries(result.obj()).flatMap(([file, deps]) =>
      deps.filter((dep) => dep.startsWith('local/')).map((dep) => `${file} → ${dep}`),
    );
    expect(offenders).toEqual([]);
    expect(sourcesUnder('lambdas').filter(([, text]) => /\bLOCAL_[A-Z_]+/.test(text))).toEqual([]);
  });

  it('reads the environment only in the Lambda entries (lambdas/functions), once each', () => {
    const readers = sourcesUnder('lambdas')
      .filter(([, text]) => text.includes('process.env'))
      .map(([file]) => file);
    expect(readers.length).toBeGreaterThan(0);
    expect(readers.filter((file) => !file.startsWith('lambdas/functions/'))).toEqual([]);
  });

  it('builds nothing in the handlers: no adapter is constructed there, no singleton kept', () => {
    for (const [file, text] of sourcesUnder('lambdas/handlers')) {
      expect(text, file).not.toMatch(
        /\bnew [A-Z]\w*(Store|Client|Publisher|Invalidator|Metrics|Reader|Verifier|Controls|Invoker)\(/,
      );
      expect(text, file).not.toMatch(/\?\?=/);
      expect(text, file).not.toMatch(/^let /m);
    }
  });

  it('keeps lib/ away from the handlers', async () => {
    const result = await graph('lib');
    const offenders = Object.entries(result.obj()).flatMap(([file, deps]) =>
      deps.filter((dep) => dep.includes('lambdas/handlers/')).map((dep) => `${file} → ${dep}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the SDK and the player to browser code: client/ and web/player/ import only each other and the domain', async () => {
    for (const dir of ['client', 'web/player']) {
      const result = await graph(dir);
      expect(result.warnings().skipped).toEqual([]);
      const offenders = Object.entries(result.obj()).flatMap(([file, deps]) =>
        deps
          .filter((dep) => !/^(client\/|web\/player\/|lambdas\/domain\/)/.test(dep))
          .map((dep) => `${file} → ${dep}`),
      );
      expect(offenders).toEqual([]);
      // No package or Node built-in either (madge lists only project files).
      for (const [file, text] of sourcesUnder(dir)) {
        const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
          (m) => m[1],
        );
        expect(
          specifiers.filter((s) => !s!.startsWith('.')),
          file,
        ).toEqual([]);
      }
    }
  });

  it("keeps the console to browser code: web/console/ imports the domain, the API's contract, the SDK, the player's renderer and its few packages", async () => {
    const result = await madge('web/console', {
      baseDir: projectRoot,
      fileExtensions: ['ts', 'tsx'],
      tsConfig: `${projectRoot}/tsconfig.json`,
      detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
    });
    expect(Object.keys(result.obj()).length).toBeGreaterThan(10);
    const offenders = Object.entries(result.obj()).flatMap(([file, deps]) =>
      deps
        .filter(
          (dep) =>
            !/^(web\/console\/|web\/player\/|client\/|lambdas\/domain\/|lambdas\/admin-api\.ts$|lambdas\/routes\.ts$)/.test(
              dep,
            ),
        )
        .map((dep) => `${file} → ${dep}`),
    );
    expect(offenders).toEqual([]);
    const packages =
      /^(preact(\/hooks)?|aws-amplify(\/[a-z-/]+)?|qrcode-generator|uplot(\/dist\/uPlot\.min\.css)?|zod)$/;
    for (const [file, text] of sourcesUnder('web/console', ['.ts', '.tsx'])) {
      const specifiers = [
        ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm),
      ].map((m) => (m[1] ?? m[2])!);
      expect(
        specifiers.filter((s) => !s.startsWith('.') && !packages.test(s)),
        file,
      ).toEqual([]);
    }
  });

  describe('the domain lint rule', () => {
    const eslint = new ESLint({ cwd: projectRoot });
    const messagesFor = async (code: string) => {
      const [result] = await eslint.lintText(code, {
        filePath: `${projectRoot}/lambdas/domain/feed/deeper/probe.ts`,
      });
      return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };

    it.each([
      ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", 'AWS'],
      ["import { Logger } from '@aws-lambda-powertools/logger';", 'AWS'],
      ["import type { Context } from 'aws-lambda';", 'Lambda'],
      ["import { Stack } from 'aws-cdk-lib';", 'CDK'],
      ["import { x } from '../../../adapters/dynamodb/keys.js';", 'adapters'],
      ["import { x } from '../../../handlers/http.js';", 'handlers'],
      ["import { x } from '../../../../local/stack.js';", 'local runtime'],
    ])('refuses %s from a nested domain module', async (line, word) => {
      const messages = await messagesFor(`${line}\nexport const probe = 1;\n`);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(word);
    });

    it('allows domain modules and zod', async () => {
      const messages = await messagesFor(
        "import * as z from 'zod';\nimport { pickWriteShard } from '../shards.js';\nexport const probe = [z, pickWriteShard];\n",
      );
      expect(messages).toEqual([]);
    });
  });
});

/** Every TypeScript source under `dir`, as [path from the project root, text]. */
function sourcesUnder(dir: string, extensions = ['.ts']): [string, string][] {
  return readdirSync(join(projectRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(projectRoot, path), readFileSync(path, 'utf8')] as [string, string];
    });
}
