/** `npm run room -- create|get <roomId> [options]`: rooms, until the admin API exists. */
import { runRoomCli } from './room-cli.js';

try {
  console.log(await runRoomCli(process.argv.slice(2)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
