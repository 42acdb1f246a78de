import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../local/paths.js';

/**
 * What the repository cites is in it (docs/sources/README.md). Every `source:` string of the
 * domain has a row in the index's "Source strings" table, and every citation that code comments
 * and docs name (ANCHORS, a DeveloperGuide page, an aws.amazon.com address…) is one of the names
 * in its "Names" table; each row's files exist. A new citation fails here until it is indexed.
 */

const SOURCES = 'docs/sources';
const INDEX = `${SOURCES}/README.md`;
/** Where the code keeps its `source:` strings. */
const SOURCE_STRING_ROOTS = ['lambdas/domain'];
/** Where citations appear in comments and prose. */
const CITING_ROOTS = ['lambdas', 'lib', 'bin', 'bench', 'local', 'graphql', 'docs/adr', 'README.md'];
/** Words that mark a citation: a line holding one must also hold an indexed name that contains it. */
const MARKERS = [
  'ANCHORS',
  'SEEDS',
  'write-up',
  'DeveloperGuide',
  'devguide',
  'aws.amazon.com',
  'docs.aws',
  'cloudfront-limits',
  'scaling-behavior',
];

interface Row {
  readonly key: string;
  readonly files: readonly string[];
}

/** The rows of the table under `## <heading>`: the first cell without its backticks, the link targets of the second. */
function tableRows(markdown: string, heading: string): Row[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) throw new Error(`${INDEX} has no "## ${heading}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => {
      const [key = '', files = ''] = line.split('|').slice(1, -1);
      return {
        key: key.trim().replace(/^`(.*)`$/, '$1'),
        files: [...files.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!),
      };
    });
}

interface SourceString {
  readonly value: string;
  readonly at: string;
}

/**
 * The strings a `source:` property, a `SOURCE` table or a `*_SOURCE` constant holds. A value that
 * is neither a string nor a reference to one (an identifier, `SOURCE.x`) cannot be checked, so it
 * is reported as unreadable.
 */
function sourceStrings(fileName: string, text: string): { strings: SourceString[]; unreadable: string[] } {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const strings: SourceString[] = [];
  const unreadable: string[] = [];
  const where = (node: ts.Node) =>
    `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const unwrap = (node: ts.Expression): ts.Expression =>
    ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node)
      ? unwrap(node.expression)
      : node;
  const literal = (node: ts.Expression): string | undefined => {
    const inner = unwrap(node);
    if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const [left, right] = [literal(inner.left), literal(inner.right)];
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    return undefined;
  };
  const take = (node: ts.Expression) => {
    const value = literal(node);
    if (value !== undefined) strings.push({ value, at: where(node) });
    else if (!ts.isIdentifier(unwrap(node)) && !ts.isPropertyAccessExpression(unwrap(node)))
      unreadable.push(where(node));
  };
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText(file) === 'source') take(node.initializer);
    if (ts.isVariableDeclaration(node) && node.initializer && /SOURCE$/.test(node.name.getText(file))) {
      const value = unwrap(node.initializer);
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties)
          if (ts.isPropertyAssignment(property)) take(property.initializer);
      } else {
        take(value);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { strings, unreadable };
}

/** Lines that hold a citation marker but none of the indexed names containing it. */
function unindexedCitations(fileName: string, text: string, names: readonly string[]): string[] {
  return text.split('\n').flatMap((line, i) =>
    MARKERS.filter((marker) => line.includes(marker))
      .filter((marker) => !names.some((name) => name.includes(marker) && line.includes(name)))
      .map((marker) => `${fileName}:${i + 1}: ${marker} in "${line.trim()}"`),
  );
}

/** Files under `path` (a directory or one file) whose names match `extensions`, as paths from the project root. */
function filesUnder(path: string, extensions = /\.(ts|mts|mjs|md)$/): string[] {
  const full = join(projectRoot, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return extensions.test(path) ? [path] : [];
  return readdirSync(full).flatMap((entry) =>
    entry === 'node_modules' ? [] : filesUnder(`${path}/${entry}`, extensions),
  );
}

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');
const index = read(INDEX);
const sourceRows = tableRows(index, 'Source strings');
const nameRows = tableRows(index, 'Names');
const names = nameRows.map((row) => row.key);

const codeSources = SOURCE_STRING_ROOTS.flatMap((root) => filesUnder(root, /\.ts$/)).map((path) =>
  sourceStrings(path, read(path)),
);

describe('the sources the repository cites', () => {
  it('indexes every source string the domain holds', () => {
    const indexed = new Set(sourceRows.map((row) => row.key));
    const strings = codeSources.flatMap((s) => s.strings);
    expect(strings.length).toBeGreaterThan(40);
    expect(codeSources.flatMap((s) => s.unreadable)).toEqual([]);
    expect(strings.filter((s) => !indexed.has(s.value)).map((s) => `${s.at}: ${s.value}`)).toEqual([]);
  });

  it('lists no source string the code no longer holds', () => {
    const held = new Set(codeSources.flatMap((s) => s.strings.map((x) => x.value)));
    expect(sourceRows.map((row) => row.key).filter((key) => !held.has(key))).toEqual([]);
  });

  it('resolves every citation named in comments and docs to an indexed name', () => {
    const offenders = CITING_ROOTS.flatMap((root) => filesUnder(root)).flatMap((path) =>
      unindexedCitations(path, read(path), names),
    );
    expect(offenders).toEqual([]);
  });

  it('points every row at files in docs/sources that exist, and indexes every file there', () => {
    const rows = [...sourceRows, ...nameRows];
    expect(nameRows.map((row) => row.key)).toEqual(expect.arrayContaining(['ANCHORS', 'ANCHORS.md']));
    expect(nameRows.every((row) => row.files.length > 0)).toBe(true);
    const targets = new Set(rows.flatMap((row) => row.files));
    const missing = [...targets].filter((file) => !existsSync(join(projectRoot, SOURCES, file)));
    expect(missing).toEqual([]);
    const present = filesUnder(SOURCES)
      .map((path) => relative(SOURCES, path))
      .filter((file) => file !== 'README.md');
    expect(present.filter((file) => !targets.has(file))).toEqual([]);
  });

  it('leaves no reference to the context files outside the repository', () => {
    const outside = CITING_ROOTS.flatMap((root) => filesUnder(root)).filter((path) =>
      read(path).includes('shared/context'),
    );
    expect(outside).toEqual([]);
  });

  it('fails for a citation nobody indexed', () => {
    const code = [
      "const LIMIT = { value: 1, source: 'ANCHORS.md; Lambda burst-concurrency page' };",
      '/** Per function (DeveloperGuide some-new-page). */',
    ].join('\n');
    const found = sourceStrings('probe.ts', code);
    const indexed = new Set(sourceRows.map((row) => row.key));
    expect(found.strings.map((s) => s.value).filter((v) => !indexed.has(v))).toEqual([
      'ANCHORS.md; Lambda burst-concurrency page',
    ]);
    expect(unindexedCitations('probe.ts', code, names)).toEqual([
      'probe.ts:2: DeveloperGuide in "/** Per function (DeveloperGuide some-new-page). */"',
    ]);
  });
});
