/**
 * Builds the web apps with esbuild: each app's bundles under `assets/` with
 * content-hashed names (cached for a year), and its entry files at the root
 * (`index.html`, `embed.js`), which stay small and are cached briefly.
 *
 * `npm start` serves the result from memory; `npm run build:web` writes it
 * to `.build/web/` for CDK to deploy.
 */
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = join(webRoot, '..');

export interface WebFile {
  readonly contents: Uint8Array;
  readonly contentType: string;
  /** Content-hashed: never changes, cache it for good. */
  readonly immutable: boolean;
}

/** Files by path relative to the app's root (`assets/player-3F2A….js`, `index.html`, `embed.js`). */
export type WebApp = Map<string, WebFile>;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};
export const contentTypeOf = (path: string) =>
  TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

/** The player: the embeddable element (+ the SDK) and the demo page. */
export async function buildPlayer(): Promise<WebApp> {
  const result = await build({
    entryPoints: { player: join(webRoot, 'player/embed.ts'), demo: join(webRoot, 'player/demo.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    outdir: join(webRoot, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    write: false,
    metafile: true,
    absWorkingDir: projectRoot,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const app: WebApp = new Map();
  const named: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const path = relative(webRoot, file.path).split('\\').join('/');
    app.set(path, { contents: file.contents, contentType: contentTypeOf(path), immutable: true });
    const output = result.metafile.outputs[relative(projectRoot, file.path).split('\\').join('/')];
    if (output?.entryPoint) named[output.entryPoint.endsWith('demo.ts') ? 'demo' : 'player'] = path;
    if (output?.cssBundle)
      named.demoStyle = relative(webRoot, join(projectRoot, output.cssBundle)).split('\\').join('/');
  }
  const text = (value: string): Uint8Array => new TextEncoder().encode(value);
  // No inline script or style: the page's CSP allows only its own files (ADR 0025).
  const html = (await readFile(join(webRoot, 'player/index.html'), 'utf8'))
    .replace('%DEMO_SCRIPT%', `./${named.demo}`)
    .replace('%DEMO_STYLE%', `./${named.demoStyle}`);
  app.set('index.html', { contents: text(html), contentType: contentTypeOf('.html'), immutable: false });
  // The stable URL host pages load; it names this build's bundle.
  app.set('embed.js', {
    contents: text(`export * from './${named.player}';\n`),
    contentType: contentTypeOf('.js'),
    immutable: false,
  });
  return app;
}

/**
 * The admin console: one bundle (Preact, the admin API's contract, aws-amplify's auth, uPlot) and
 * its stylesheet, named by content hash, and `index.html` naming them.
 */
export async function buildConsole(): Promise<WebApp> {
  const result = await build({
    entryPoints: { console: join(webRoot, 'console/main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: join(webRoot, 'assets'),
    entryNames: '[name]-[hash]',
    write: false,
    metafile: true,
    absWorkingDir: projectRoot,
    legalComments: 'none',
    logLevel: 'silent',
    // aws-amplify reads these at build time in its Node-or-browser checks.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const app: WebApp = new Map();
  let script = '';
  let style = '';
  for (const file of result.outputFiles) {
    const path = relative(webRoot, file.path).split('\\').join('/');
    app.set(path, { contents: file.contents, contentType: contentTypeOf(path), immutable: true });
    if (path.endsWith('.js')) script = path;
    if (path.endsWith('.css')) style = path;
  }
  const html = (await readFile(join(webRoot, 'console/index.html'), 'utf8'))
    .replace('%CONSOLE_SCRIPT%', `./${script}`)
    .replace('%CONSOLE_STYLE%', `./${style}`);
  app.set('index.html', {
    contents: new TextEncoder().encode(html),
    contentType: contentTypeOf('.html'),
    immutable: false,
  });
  return app;
}

/** Writes an app to a directory, replacing what was there. */
export async function writeWebApp(app: WebApp, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const [path, file] of app) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), file.contents);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, make] of [
    ['player', buildPlayer],
    ['console', buildConsole],
  ] as const) {
    const out = join(projectRoot, '.build', 'web', name);
    await writeWebApp(await make(), out);
    console.error(`${name} built into ${relative(process.cwd(), out)}`);
  }
}
