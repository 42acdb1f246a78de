/** `npm run event -- artist-message|notice|delete|ping <roomId> [options]`: until the admin API exists. */
import { runEventCli } from './event-cli.js';

try {
  console.log(await runEventCli(process.argv.slice(2)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
