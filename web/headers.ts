/**
 * The web apps' response headers, as the CDK distribution sends them (lib/constructs/web-app.ts,
 * ADR 0025) and `npm start` sends them too (local/web-apps.ts), so the pages run locally under the
 * policy they are deployed with. No CDK here: the local runtime imports it.
 */

/**
 * Hashed files: the name changes with the content, so a cache may keep one for a year and never
 * ask again (`immutable` also stops browsers revalidating on reload).
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Entry files and `config.json`: their names never change, so their lifetime is how long a deploy
 * takes to reach viewers. A minute at the edge plus a minute in the browser: a deploy (or a rotated
 * API key in `config.json`) reaches every new page within two minutes without an invalidation, and
 * each edge location asks S3 for an entry about once a minute however many viewers load it. Stale
 * entries are harmless meanwhile: they name hashed files that the deploy keeps (ADR 0025).
 */
export const ENTRY_CACHE_CONTROL = 'public, max-age=60';

/** The fetch and document directives an app may set. */
export type CspDirective =
  | 'default-src'
  | 'script-src'
  | 'style-src'
  | 'img-src'
  | 'font-src'
  | 'connect-src'
  | 'media-src'
  | 'worker-src'
  | 'manifest-src'
  | 'base-uri'
  | 'form-action'
  | 'frame-ancestors';

export type ContentSecurityPolicy = Readonly<Partial<Record<CspDirective, readonly string[]>>>;

/**
 * What every app's pages may do unless it says otherwise: load scripts, styles, fonts and images
 * from its own origin only, call its own origin (the API is on the same distribution), no inline
 * script or style, no plugins, no `<base>`, no form posts, and never inside a frame. An app adds
 * what it needs (the player: the AppSync endpoints in `connect-src`).
 */
export const BASELINE_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // A custom element styles its shadow root with a constructable stylesheet (adoptedStyleSheets)
  // or a <link> to its own origin: CSP does not govern the CSSOM, but blocks <style> elements
  // and style attributes without 'unsafe-inline' (checked in Chromium 156).
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
} as const satisfies ContentSecurityPolicy;

/**
 * The player's demo page plays media it makes itself (replay mode's silent track, a Blob URL):
 * `media-src` for the player app, on top of the baseline (ADR 0040).
 */
export const PLAYER_MEDIA_SRC = ["'self'", 'blob:'] as const;

/**
 * Features no app here uses, denied so that a script injected into one cannot ask for them either.
 */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()';

/** `directive source source; …`: a policy as the header carries it. */
export const cspHeaderValue = (policy: ContentSecurityPolicy): string =>
  Object.entries(policy)
    .map(([directive, sources]) => [directive, ...(sources ?? [])].join(' '))
    .join('; ');
