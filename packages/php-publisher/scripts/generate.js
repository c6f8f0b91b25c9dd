#!/usr/bin/env node
// Writes php/ (the composer package) from the built generator; run by `pnpm generate`, after
// `build`. Only changed files are written, and generated files the generator no longer makes
// are removed. With --check, writes nothing and exits 1 listing the stale files.
import { fileURLToPath } from 'node:url';
import { runGenerator } from '@postbode/codegen';
import { GENERATED_MARKER, generatePhpPackage } from '../dist/index.js';

process.exitCode = await runGenerator(generatePhpPackage(), {
  name: '@postbode/php-publisher',
  root: fileURLToPath(new URL('../php', import.meta.url)),
  generatedMarker: GENERATED_MARKER,
});
