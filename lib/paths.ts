import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's own location — never from the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An absolute path for a path given relative to the repository root (as `lambdas/routes.ts` gives entries). */
export function fromProjectRoot(relativePath: string): string {
  return path.resolve(projectRoot, relativePath);
}
