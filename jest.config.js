/** Jest runs TypeScript through swc (no type-check: `tsc --noEmit` does that separately). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  // The Terraform suites spend most of their time in terraform processes: two workers keep both cores busy.
  maxWorkers: 2,
  // Before jest has timed the suites (a fresh clone, CI), those marked `@slow` start first.
  testSequencer: '<rootDir>/tools/jest/slow-first-sequencer.cjs',
};
