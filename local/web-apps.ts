/**
 * The web apps as `npm start` serves them at the edge: built in memory from
 * `web/` at start (web/build.ts, the same build CDK deploys), with the
 * distribution's cache headers, and each app's runtime `config.json` made
 * from this stack's endpoints.
 */
import { buildConsole, buildPlayer, contentTypeOf, type WebApp } from '../web/build.js';
import {
  BASELINE_CSP,
  PLAYER_MEDIA_SRC,
  type ContentSecurityPolicy,
  cspHeaderValue,
  IMMUTABLE_CACHE_CONTROL,
  PERMISSIONS_POLICY,
} from '../web/headers.js';
import type { EdgeResponse } from './edge-cache.js';
import { CONSOLE_PATH_PREFIX, PLAYER_PATH_PREFIX } from '../lambdas/domain/paths.js';

/** Entries and settings: revalidated every time here (the CDN keeps them a minute), so a rebuild shows at once. */
export const ENTRY_CACHE = 'no-cache';

/** What a web app's files are sent with, as the distribution sends them (web/headers.ts). */
function securityHeaders(csp: ContentSecurityPolicy): Record<string, string> {
  return {
    'content-security-policy': cspHeaderValue({ ...BASELINE_CSP, ...csp }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    // Host pages on other origins load the player module.
    'access-control-allow-origin': '*',
  };
}

export interface LocalWebApps {
  /** Answers `GET /player/…` and `GET /console/…`, or undefined for paths outside every app. */
  serve(path: string): EdgeResponse | undefined;
}

export interface LocalWebAppOptions {
  /** The app's `config.json`. */
  readonly config: () => unknown;
  /** What its pages may connect to besides their origin (the realtime endpoints), as CDK allows. */
  readonly connectSources: readonly string[];
}

export async function buildLocalWebApps(options: {
  readonly player: LocalWebAppOptions;
  readonly console: LocalWebAppOptions;
}): Promise<LocalWebApps> {
  const [player, consoleApp] = await Promise.all([buildPlayer(), buildConsole()]);
  const apps: Record<string, { app: WebApp; config: () => unknown; headers: Record<string, string> }> = {
    [PLAYER_PATH_PREFIX]: {
      app: player,
      config: options.player.config,
      headers: securityHeaders({
        'connect-src': [...BASELINE_CSP['connect-src'], ...options.player.connectSources],
        'media-src': PLAYER_MEDIA_SRC,
      }),
    },
    [CONSOLE_PATH_PREFIX]: {
      app: consoleApp,
      config: options.console.config,
      headers: securityHeaders({
        'connect-src': [...BASELINE_CSP['connect-src'], ...options.console.connectSources],
      }),
    },
  };
  return {
    serve(path) {
      for (const [prefix, { app, config, headers }] of Object.entries(apps)) {
        if (path === prefix.slice(0, -1)) return redirect(prefix);
        if (!path.startsWith(prefix)) continue;
        const file = path.slice(prefix.length) || 'index.html';
        if (file === 'config.json') {
          return {
            status: 200,
            headers: { ...headers, 'content-type': contentTypeOf(file), 'cache-control': ENTRY_CACHE },
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
            ...headers,
            'content-type': found.contentType,
            'cache-control': found.immutable ? IMMUTABLE_CACHE_CONTROL : ENTRY_CACHE,
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
