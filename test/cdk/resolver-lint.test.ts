import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { resolverFiles } from '../../graphql/bundle.js';
import { fromProjectRoot } from '../../lib/paths.js';

// eslint.config.js lints graphql/resolvers/ with @aws-appsync/eslint-plugin's recommended set
// (ADR 0009). These tests lint code as if it were a resolver file, so they fail if the plugin, its
// type information or the file pattern ever stops applying. The probe file never exists on disk
// (other suites list graphql/resolvers/), so the type-checker is told to accept it unlisted.
const PROBE = 'graphql/resolvers/Query.lintProbe.ts';
const probe = fromProjectRoot(PROBE);
const eslint = new ESLint({
  cwd: fromProjectRoot('.'),
  overrideConfig: {
    files: [PROBE],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: [PROBE] } } },
  },
});

async function ruleIds(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: probe });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('APPSYNC_JS lint', () => {
  it('refuses what the runtime refuses: regex literals, try/catch', async () => {
    const ids = await ruleIds(
      [
        "import type { Context } from '@aws-appsync/utils';",
        'export function request(ctx: Context<{ id: string }>) {',
        '  try {',
        '    return { payload: /^a$/.test(ctx.args.id) };',
        '  } catch {',
        '    return { payload: null };',
        '  }',
        '}',
        'export function response(ctx: Context) {',
        '  return ctx.result;',
        '}',
        '',
      ].join('\n'),
    );
    expect(ids).toContain('@aws-appsync/no-regex');
    expect(ids).toContain('@aws-appsync/no-try');
  });

  it('runs the rules that need type information (recursion)', async () => {
    const ids = await ruleIds(
      [
        "import type { Context } from '@aws-appsync/utils';",
        'function depth(n: number): number {',
        '  return n > 0 ? depth(n - 1) : 0;',
        '}',
        'export function request(_ctx: Context) {',
        '  return { payload: depth(2) };',
        '}',
        'export function response(ctx: Context) {',
        '  return ctx.result;',
        '}',
        '',
      ].join('\n'),
    );
    expect(ids).toContain('@aws-appsync/no-recursion');
    expect(ids.filter((id) => id.startsWith('fatal'))).toEqual([]);
  });

  it('does not apply to code outside graphql/resolvers/', async () => {
    const [result] = await eslint.lintText('export const r = /^a$/;\n', {
      filePath: fromProjectRoot('lib/probe.ts'),
    });
    expect(result!.messages.map((m) => m.ruleId)).not.toContain('@aws-appsync/no-regex');
  });

  it('passes the real resolver files', async () => {
    const results = await eslint.lintFiles(resolverFiles().map((f) => f.source));
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}`));
    expect(problems).toEqual([]);
  });
});
