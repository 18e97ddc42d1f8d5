/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules): `npm test` type-checks the whole tree once with tsc first.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Removes the temporary cloud assemblies of the apps a test file synthesized.
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
