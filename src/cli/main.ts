#!/usr/bin/env node
/**
 * The `routemq` executable (package.json `bin`).
 * @module
 */
import 'reflect-metadata';
import { runCli } from './program';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
