/**
 * `npm run room -- create|get|size <roomId> [options]`: rooms from the command line, for scripts and
 * for operators without the console (the admin API does the same).
 */
import { runRoomCli } from './room-cli.js';

try {
  console.log(await runRoomCli(process.argv.slice(2)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
