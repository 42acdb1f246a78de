// Prints one plain closing line from Vitest's JSON results: "Tests: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('Tests: 0 passed, 1 failed');
  console.error(`No test results at ${file}: the test run did not finish.`);
  process.exit(1);
}
const {
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: skipped,
  numTodoTests: todo,
} = results;
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped + (todo ?? 0)} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
