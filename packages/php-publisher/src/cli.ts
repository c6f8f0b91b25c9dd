#!/usr/bin/env node
// `postbode-php`: writes the PHP publisher (a composer package) generated from the protocol.
// The only module of this package with process side effects (arguments, output, exit code).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_MODEL_DEFAULTS } from './build-model.js';
import { generatePhpPackage } from './generate-php-package.js';
import { findStaleFiles, writePhpPackage } from './write-php-package.js';

const USAGE = `Usage: postbode-php [--out DIR] [--namespace NS] [--check]

Generates the PHP publisher (composer package postbode/publisher) from the Postbode protocol.

  --out DIR        where to write it (default: ./php)
  --namespace NS   the PHP namespace (default: ${BUILD_MODEL_DEFAULTS.namespace})
  --check          write nothing; exit 1 and list the stale files when DIR is not what the
                   schemas give
  --help           show this text
`;

async function main(argv: string[]): Promise<number> {
  let values: { out?: string; namespace?: string; check?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        namespace: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`postbode-php: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const outDir = resolve(values.out ?? 'php');
  const files = generatePhpPackage(
    values.namespace === undefined ? {} : { namespace: values.namespace },
  );
  if (values.check) {
    const stale = await findStaleFiles(outDir, files);
    if (stale.length === 0) return 0;
    process.stderr.write(
      `postbode-php: ${stale.length} file(s) in ${outDir} are not what the schemas give (run pnpm generate and commit the result):\n`,
    );
    for (const file of stale) process.stderr.write(`  ${file.reason}: ${file.path}\n`);
    return 1;
  }
  const { written, removed } = await writePhpPackage(outDir, files);
  for (const path of written) process.stdout.write(`wrote ${path}\n`);
  for (const path of removed) process.stdout.write(`removed ${path}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `postbode-php: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
