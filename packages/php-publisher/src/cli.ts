#!/usr/bin/env node
// `postbode-php`: writes the PHP publisher (a composer package) generated from the protocol,
// e.g. in an application's own namespace. The only module of this package with process side
// effects (arguments, files, output, exit code). The repository's own php/ is written by
// scripts/generate.js through @postbode/codegen, which is private and so cannot be a
// dependency of this published bin: this keeps the least writer a user needs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_MODEL_DEFAULTS } from './build-model.js';
import { type GeneratedFile, generatePhpPackage } from './generate-php-package.js';

const USAGE = `Usage: postbode-php [--out DIR] [--namespace NS] [--check]

Generates the PHP publisher (composer package postbode/publisher) from the Postbode protocol.

  --out DIR        where to write it (default: ./php)
  --namespace NS   the PHP namespace (default: ${BUILD_MODEL_DEFAULTS.namespace})
  --check          write nothing; exit 1 and list the files of DIR that are missing or not
                   what the schemas give
  --help           show this text
`;

/** The generated files that are missing from `outDir` or differ from what is there. */
async function staleFiles(outDir: string, files: readonly GeneratedFile[]) {
  const stale: { file: GeneratedFile; reason: 'missing' | 'changed' }[] = [];
  for (const file of files) {
    const current = await readFile(join(outDir, file.path), 'utf8').catch(() => undefined);
    if (current !== file.contents) {
      stale.push({ file, reason: current === undefined ? 'missing' : 'changed' });
    }
  }
  return stale;
}

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
  const stale = await staleFiles(outDir, files);
  if (values.check) {
    if (stale.length === 0) return 0;
    process.stderr.write(
      `postbode-php: ${stale.length} file(s) in ${outDir} are not what the schemas give (run postbode-php without --check to write them):\n`,
    );
    for (const { file, reason } of stale) process.stderr.write(`  ${reason}: ${file.path}\n`);
    return 1;
  }
  for (const { file } of stale) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.contents);
    process.stdout.write(`wrote ${file.path}\n`);
  }
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
