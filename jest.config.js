/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The users function's libraries keep one request store per process on globalThis, as in Lambda. When a test fails
  // with a request still under way, that request reads the store after jest's cleanup of the file's globals, and
  // jest's deprecation warning about it fills the output around the failure.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules): under `npm test`, global-setup.ts type-checks the whole tree with
  // tsc alongside the tests, and global-teardown.ts fails the run if it finds an error.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Three workers on a two-core machine: many files wait on child processes (a synth, a local server, DynamoDB Local)
  // or on timers (the SQS worker's tests), and a third worker uses that time. Measured in alternate runs: 142 and 147 s
  // with three, 165 and 157 s with two. Before each worker compiled the packages once (runtime, below), three was
  // slower.
  maxWorkers: 3,
  // aws-cdk-lib's built-in validator (test/app.test.ts) is WebAssembly that V8 keeps compiling in the background for
  // a few seconds after synth; a worker that ran it exits once that is done. Jest's default wait (500 ms) would kill
  // it and print a warning about leaking tests.
  workerGracefulExitTimeout: 15_000,
  // One folder per run where test files share each lab's synth (test/helpers/shared-synth.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // Removes the temporary cloud assemblies of the apps a test file synthesized.
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // Each worker compiles a package's module once, not once per test file (see the file).
  runtime: '<rootDir>/test/helpers/compile-once-runtime.js',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
