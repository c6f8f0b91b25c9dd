#!/usr/bin/env node
// Measures what each entry of the SDK adds to an app's bundle: bundled with esbuild from src/,
// minified, gzip level 9, with socket.io-client, vue, vuex and pinia left out (the app has or
// needs them anyway). Code loaded with import() (the validators behind `validate: true`) is
// counted apart, as "lazy". Writes the table into README.md between the bundle-size markers
// (--check: writes nothing, exits 1 when the table is stale); with --json, prints the
// measurements, with the packages whose code each entry inlines, and writes nothing.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { replaceBetweenMarkers, runGenerator } from '@postbode/codegen';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = [
  { name: '@postbode/client-sdk', file: 'src/index.ts' },
  { name: '@postbode/client-sdk/vuex', file: 'src/vuex.ts' },
  { name: '@postbode/client-sdk/pinia', file: 'src/pinia.ts' },
  { name: '@postbode/client-sdk/vue', file: 'src/vue.ts' },
];
const EXTERNAL = ['socket.io-client', 'vue', 'vuex', 'pinia'];
const MARKER = 'bundle-size';
const SELF = '@postbode/client-sdk';

/** The name of the package a bundled file belongs to (the nearest package.json above it). */
const packageNames = new Map();
function packageOf(input) {
  let dir = dirname(resolve(root, input));
  while (!packageNames.has(dir)) {
    const name = (() => {
      try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
      } catch {
        return undefined;
      }
    })();
    if (name !== undefined || dirname(dir) === dir) packageNames.set(dir, name ?? '?');
    else {
      const parent = dirname(dir);
      if (packageNames.has(parent)) packageNames.set(dir, packageNames.get(parent));
      else dir = parent;
    }
  }
  return packageNames.get(dir);
}

/** Bundles one entry; returns its sizes and the packages it imports at load time. */
async function measure(entry) {
  const result = await build({
    entryPoints: [`${root}${entry.file}`],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: EXTERNAL,
    absWorkingDir: root,
    outdir: 'size-out',
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const outputs = result.metafile.outputs;
  const entryOut = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined);
  // What loads with the entry: the entry chunk and the chunks it imports statically.
  const initial = new Set();
  const externals = new Set();
  const visit = (path) => {
    if (initial.has(path)) return;
    initial.add(path);
    for (const imported of outputs[path].imports) {
      if (imported.external) {
        if (imported.kind === 'import-statement') externals.add(imported.path);
      } else if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(entryOut);
  const gz = (paths) =>
    paths.reduce((sum, path) => {
      const file = result.outputFiles.find((output) => output.path === resolve(root, path));
      return sum + (file === undefined ? 0 : gzipSync(file.contents, { level: 9 }).length);
    }, 0);
  const raw = (paths) => paths.reduce((sum, path) => sum + (outputs[path]?.bytes ?? 0), 0);
  // Other packages whose code ends up inside the chunks (not imported: copied in).
  const inlined = (paths) =>
    [...new Set(paths.flatMap((path) => Object.keys(outputs[path]?.inputs ?? {}).map(packageOf)))]
      .filter((name) => name !== SELF)
      .sort();
  const initialPaths = [...initial];
  const lazyPaths = Object.keys(outputs).filter(
    (path) => !initial.has(path) && path.endsWith('.js'),
  );
  return {
    entry: entry.name,
    minified: raw(initialPaths),
    gzip: gz(initialPaths),
    lazyGzip: gz(lazyPaths),
    imports: [...externals].sort(),
    inlined: inlined(initialPaths),
    lazyInlined: inlined(lazyPaths),
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

function renderTable(rows) {
  return [
    '| entry | minified | minified + gzip | imports at load | loaded on demand (gzip) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.entry}\` | ${kb(row.minified)} | **${kb(row.gzip)}** | ${row.imports.map((name) => `\`${name}\``).join(', ') || '—'} | ${row.lazyGzip === 0 ? '—' : `${kb(row.lazyGzip)} (protocol validators, only with \`validate: true\`)`} |`,
    ),
  ].join('\n');
}

const rows = [];
for (const entry of ENTRIES) rows.push(await measure(entry));

if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const table = renderTable(rows);
  const readme = await readFile(`${root}README.md`, 'utf8');
  const contents = replaceBetweenMarkers(readme, MARKER, table);
  process.stdout.write(`${table}\n`);
  process.exitCode = await runGenerator([{ path: 'README.md', contents }], {
    name: `${SELF} size`,
    root,
  });
}
