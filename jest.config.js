/** @type {import('jest').Config} */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: {
    '^routemq$': '<rootDir>/src/index.ts',
    '^routemq/testing$': '<rootDir>/src/testing/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      // Pure specs: no broker, no Redis, no database, no build (`npm run test:unit`).
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/example-app/test/unit/**/*.spec.ts'],
    },
    { ...common, displayName: 'docs', testMatch: ['<rootDir>/test/docs/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/test/integration/**/*.spec.ts',
        '<rootDir>/example-app/test/integration/**/*.spec.ts',
      ],
    },
  ],
};
