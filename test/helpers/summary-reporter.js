/**
 * Prints one plain closing line, "N passed, N failed, N skipped", after everything jest prints, so that
 * tools which read a test run's last line (CI among them) see the counts without parsing jest's format.
 * Jest always adds its own summary reporter last, hence the wait for the process to exit.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.once('exit', () =>
      process.stderr.write(`${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`));
  }
}

module.exports = SummaryReporter;
