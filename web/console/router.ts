import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/rooms/r1/live`): the console is static files in S3 behind a distribution whose
 * default behaviour is the API, so paths after `/console/` would need an SPA rewrite there; the
 * hash never leaves the browser.
 */
export function currentPath(): string {
  const hash = globalThis.location?.hash ?? '';
  return hash.startsWith('#/') ? hash.slice(1) : '/rooms';
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

export const href = (path: string) => `#${path}`;

export function navigate(path: string): void {
  location.hash = path;
}

/** Matches `/rooms/:roomId/:tab?` against a path: the named segments, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('?')[0]!.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, got.length); i += 1) {
    const part = want[i];
    const value = got[i];
    if (part === undefined) return undefined;
    if (part.startsWith(':')) {
      const optional = part.endsWith('?');
      if (value === undefined) {
        if (optional) continue;
        return undefined;
      }
      params[part.slice(1, optional ? -1 : undefined)] = decodeURIComponent(value);
    } else if (part !== value) return undefined;
  }
  return params;
}
