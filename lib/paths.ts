import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's own location — never from the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An absolute path for a path given relative to the repository root (as `lambdas/routes.ts` gives entries). */
export function fromProjectRoot(relativePath: string): string {
  return path.resolve(projectRoot, relativePath);
}

/** Where the web build (`npm run build:web`) writes the player; the CDK app deploys it from here. */
export const PLAYER_BUILD_DIRECTORY = fromProjectRoot('.build/web/player');
/** Where the web build writes the admin console. */
export const CONSOLE_BUILD_DIRECTORY = fromProjectRoot('.build/web/console');
