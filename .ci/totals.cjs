// Prints "N passed, N failed" from vitest's JSON report and the test command's exit status.
// Runs on whatever Node the machine has, before or without the project's toolchain.
const { existsSync, readFileSync } = require('node:fs');

const [reportPath, statusText] = process.argv.slice(2);
const status = Number(statusText);
let passed = 0;
let failed = 0;
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  // A test file that fails to load runs no test, but it is a failure all the same.
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
}
// Installation or build failed before any test ran, or the run crashed after the tests.
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
