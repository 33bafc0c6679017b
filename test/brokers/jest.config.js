/** The broker compatibility suite (npm run test:brokers): its own brokers, one file, run in band. */
const base = require('../../jest.config.js').projects[0];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  displayName: 'brokers',
  testMatch: ['<rootDir>/test/brokers/**/*.spec.ts'],
};
