/** `npm run cost -- --viewers <n> --hours <h> --comments-per-second <n> --region <region>`: what an event costs. */
import { runCostCli } from './cost-cli.js';

try {
  console.log(runCostCli(process.argv.slice(2)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
