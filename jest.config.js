/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules); `npm run build` type-checks once for the whole tree.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};
