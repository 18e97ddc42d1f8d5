// StrykerJS for `npm run mutate` (scripts/mutate.js chooses what is mutated and prints the scores per folder).
// A report, not a gate of `npm test` or CI: run it after changing a rule or its tests.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const jestConfig = require('./jest.config.js');
const reportDir = process.env.MUTATION_REPORT_DIR ?? 'reports/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // scripts/mutate.js passes --mutate (the whole scope, or the paths given to it) and --incrementalFile.
  mutate: [],
  testRunner: 'jest',
  // Each test records which mutants it reaches, so a mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  jest: {
    projectType: 'custom',
    // jest.config.js minus two files that would cost minutes per mutant and add no coverage:
    // - the DynamoDB Local (Java) copy of the users contract starts a JVM; the dynalite file runs the same contract;
    // - test/review/review.test.ts synthesizes every lab twice in git worktrees; the marks and the formatting are
    //   tested on hand-written templates in test/review/stack-review*.test.ts.
    config: {
      ...jestConfig,
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/lambda/users-dynamodb-local\\.test\\.ts$',
        '/test/review/review\\.test\\.ts$',
      ],
      // findRelatedTests follows imports only through files under `roots`: with jest.config.js's roots (test/ alone)
      // a test that reaches a mutated file through another source file (the guardrail rules through the plugin,
      // cost through the review, constructs through the lab stacks) is not run, and its mutants show as
      // "no coverage". So every source folder is a root; tests are still only taken from test/.
      roots: ['<rootDir>/test', '<rootDir>/lib', '<rootDir>/lambda', '<rootDir>/labs', '<rootDir>/bin'],
      // MUTATION_TESTS=test/guardrails narrows the run to that folder's tests (or test files, comma-separated): a
      // quicker score that is a lower bound (a mutant another test would kill counts as survived).
      testMatch: (process.env.MUTATION_TESTS ?? 'test').split(',')
        .map((tests) => (tests.endsWith('.test.ts') ? `<rootDir>/${tests}` : `<rootDir>/${tests}/**/*.test.ts`)),
      reporters: ['default'],
    },
    // Dry run and mutant runs only load test files that import the mutated file.
    enableFindRelatedTests: true,
  },
  // Reuses the results of mutants whose code and covering tests did not change since the last run.
  incremental: true,
  // Two cores: one jest worker, and the other core for Stryker itself and the machine.
  concurrency: 1,
  timeoutMS: 10000,
  // The initial run takes every test file that imports a mutated file, directly or not: for the guardrails that is
  // every lab's synth, minutes on 2 shared cores (Stryker's default gives up after 5).
  dryRunTimeoutMinutes: 30,
  reporters: ['progress', 'html', 'json'],
  // scripts/mutate.js reads the JSON report; MUTATION_REPORT_DIR lets two selections run side by side.
  htmlReporter: { fileName: `${reportDir}/mutation.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  tempDirName: '.stryker-tmp',
  // Copied into each sandbox: everything but build output, local data and the sandboxes of other runs.
  ignorePatterns: ['cdk.out', '.local', 'coverage', 'reports', '.cdk.staging', '*.tgz', '.stryker-tmp*'],
  cleanTempDir: true,
};
