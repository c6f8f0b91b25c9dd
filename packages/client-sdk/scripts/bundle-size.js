#!/usr/bin/env node
// Measures what each entry of the SDK adds to an app's bundle: bundled with esbuild from src/,
// minified, gzip level 9, with socket.io-client, vue, vuex and pinia left out (the app has or
// needs them anyway). Code loaded with import() (the validators behind `validate: true`) is
// counted apart, as "lazy". Writes the table into README.md between the bundle-size markers;
// with --json, prints the measurements and writes nothing.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = [
  { name: '@postbode/client-sdk', file: 'src/index.ts' },
  { name: '@postbode/client-sdk/vuex', file: 'src/vuex.ts' },
  { name: '@postbode/client-sdk/pinia', file: 'src/pinia.ts' },
  { name: '@postbode/client-sdk/vue', file: 'src/vue.ts' },
];
const EXTERNAL = ['socket.io-client', 'vue', 'vuex', 'pinia'];
const START = '<!-- bundle-size:start -->';
const END = '<!-- bundle-size:end -->';

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
  const readmePath = `${root}README.md`;
  const readme = await readFile(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`${readmePath} has no ${START} ... ${END} block`);
  const next = `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
  if (next !== readme) await writeFile(readmePath, next);
  process.stdout.write(`${table}\n`);
}
