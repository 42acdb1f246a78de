import { fileURLToPath } from 'node:url';

/** The project root, found from this file — never from the working directory. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
