/**
 * zod's English messages, for the schemas built with `zod/mini` (the ones the
 * viewer functions parse with: their bundles carry about 20 KB of zod instead
 * of about 100 KB, ADR 0022). The classic `zod` import sets the same on its
 * own. Imported for its effect by every module that defines such schemas.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
