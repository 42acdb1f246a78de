/**
 * The web apps as `npm start` serves them at the edge: built in memory from
 * `web/` at start (web/build.ts, the same build CDK deploys), with the
 * distribution's cache headers, and each app's runtime `config.json` made
 * from this stack's endpoints.
 */
import { buildPlayer, contentTypeOf, type WebApp } from '../web/build.js';
import type { EdgeResponse } from './edge-cache.js';

/** Cache lifetimes as CDK sets them: hashed bundles for good, entries and settings revalidated. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const ENTRY_CACHE = 'no-cache';

export interface LocalWebApps {
  /** Answers `GET /player/…`, or undefined for paths outside every app. */
  serve(path: string): EdgeResponse | undefined;
}

export async function buildLocalWebApps(playerConfig: () => unknown): Promise<LocalWebApps> {
  const apps: Record<string, { app: WebApp; config: () => unknown }> = {
    '/player/': { app: await buildPlayer(), config: playerConfig },
  };
  return {
    serve(path) {
      for (const [prefix, { app, config }] of Object.entries(apps)) {
        if (path === prefix.slice(0, -1)) return redirect(prefix);
        if (!path.startsWith(prefix)) continue;
        const file = path.slice(prefix.length) || 'index.html';
        if (file === 'config.json') {
          return {
            status: 200,
            headers: { 'content-type': contentTypeOf(file), 'cache-control': ENTRY_CACHE },
            body: JSON.stringify(config()),
          };
        }
        const found = app.get(file);
        if (!found) {
          return {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
            body: `Not found: ${path}`,
          };
        }
        return {
          status: 200,
          headers: {
            'content-type': found.contentType,
            'cache-control': found.immutable ? IMMUTABLE_CACHE : ENTRY_CACHE,
            'x-content-type-options': 'nosniff',
            // Host pages on other origins load the player module.
            'access-control-allow-origin': '*',
          },
          body: found.contents,
        };
      }
      return undefined;
    },
  };
}

function redirect(location: string): EdgeResponse {
  return { status: 301, headers: { location, 'cache-control': 'no-store' }, body: '' };
}
