#!/usr/bin/env node
// `pnpm bench [--quick] [--profile [--rate=N | --scenario=storm] [--generator=socket.io-client]] [--targets=postbode,relay,...] [--no-legacy]
// [--no-receipts | --only-receipts] [--receipts=N]`:
// `pnpm bench --cluster [--cluster-sockets=35000]`: only the gateway with --workers 1 and 2
// (issue 14), written to bench/results/cluster.json; BENCHMARKS.md is left alone.
// runs the benchmarks and writes bench/results/<run>.json and .md; a full run also updates the
// results section of BENCHMARKS.md. Progress goes to stdout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RedisCore, startHarness } from './harness.js';
import type { LoadGenerator } from './loadgen/load-generator.js';
import { FULL, QUICK } from './parameters.js';
import { generatorSuffix, profileStorm, profileThroughput } from './profile.js';
import { renderMarkdown, spliceResults } from './report/render-markdown.js';
import type { ProfileSummary } from './report/summarize-profile.js';
import { runBench } from './run-bench.js';
import { clusterMode } from './scenarios/cluster-mode.js';
import { ALL_TARGETS } from './targets/all-targets.js';
import { createPostbodeTarget, postbodeStreamTarget } from './targets/postbode.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const option = (name: string): string | undefined =>
  args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const resultsDir = join(benchDir, 'results');
const log = (line: string): void => {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const wanted = option('targets')?.split(',');
const baseline = option('baseline');
const selected =
  wanted === undefined ? ALL_TARGETS : ALL_TARGETS.filter((t) => wanted.includes(t.id));
const targets = [
  ...selected,
  // Another gateway build (e.g. before a change), interleaved with the others; fed through the
  // stream too when this build is.
  ...(baseline === undefined
    ? []
    : [
        createPostbodeTarget({
          id: 'postbode-before',
          label: 'Postbode (before)',
          entry: baseline,
        }),
        ...(selected.some((t) => t.id === postbodeStreamTarget.id)
          ? [
              createPostbodeTarget({
                id: 'postbode-stream-before',
                label: 'Postbode (before, stream)',
                entry: baseline,
                wire: postbodeStreamTarget.wire,
                variantOf: 'postbode-before',
              }),
            ]
          : []),
      ]),
];

/** `--generator=ws|socket.io-client` (profile modes): the load generator the clients use. */
function readGenerator(value: string | undefined): LoadGenerator {
  if (value === undefined || value === 'ws') return 'ws';
  if (value === 'socket.io-client') return value;
  throw new Error(`--generator=${value}: expected ws or socket.io-client`);
}

/** `--redis-core=server|load`: the core Redis shares with (harness.ts). */
function readRedisCore(value: string | undefined): RedisCore {
  if (value === undefined || value === 'server') return 'server';
  if (value === 'load') return value;
  throw new Error(`--redis-core=${value}: expected server or load`);
}

/** Formats a written JSON file the way `pnpm lint` wants it (best effort). */
function formatWithBiome(file: string): void {
  const biome = join(dirname(benchDir), 'node_modules', '.bin', 'biome');
  try {
    execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
  } catch {
    log(`could not format ${file} with Biome; run pnpm format`);
  }
}

/**
 * Writes the profiles' text summaries to `results/profiles/<name>` (kept in git) and prints
 * each target's hottest packages and its `functions` hottest functions.
 */
function writeProfileSummaries(
  summaries: Record<string, ProfileSummary>,
  name: string,
  functions: number,
): void {
  const summaryFile = join(resultsDir, 'profiles', name);
  writeFileSync(summaryFile, `${JSON.stringify(summaries, null, 2)}\n`);
  formatWithBiome(summaryFile);
  for (const [id, summary] of Object.entries(summaries)) {
    log(`${id}: by package`);
    for (const entry of summary.packages.slice(0, 12))
      log(`  ${(entry.share * 100).toFixed(1)}%  ${entry.name}`);
    log(`${id}: by function (self time)`);
    for (const entry of summary.functions.slice(0, functions))
      log(`  ${(entry.share * 100).toFixed(1)}%  ${entry.name}`);
  }
}

async function main(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  const generator = readGenerator(option('generator'));
  const redisCore = readRedisCore(option('redis-core'));
  if (flag('profile') && option('scenario') === 'storm') {
    const summaries = await profileStorm({
      targets,
      users: Number(option('users') ?? 19_000),
      generator,
      directory: join(resultsDir, 'profiles'),
      log,
    });
    writeProfileSummaries(summaries, `summary-storm${generatorSuffix(generator)}.json`, 30);
    return;
  }
  if (flag('profile')) {
    const rate = option('rate');
    const summaries = await profileThroughput({
      targets,
      users: Number(option('users') ?? 5_000),
      durationMs: Number(option('duration') ?? 10_000),
      window: 4_000,
      generator,
      ...(rate === undefined ? {} : { rate: Number(rate) }),
      directory: join(resultsDir, 'profiles'),
      log,
    });
    writeProfileSummaries(
      summaries,
      `summary${rate === undefined ? '' : `-${rate}`}${generatorSuffix(generator)}.json`,
      25,
    );
    return;
  }
  if (flag('cluster')) {
    const sockets = Number(option('cluster-sockets') ?? 35_000);
    const harness = await startHarness({ users: Math.ceil(sockets / 2), pin: false });
    try {
      log(`pnpm bench --cluster: ${sockets} sockets with 2 workers, throughput with 1 and 2`);
      const result = await clusterMode(harness, {
        sockets,
        users: Number(option('users') ?? 5_000),
        durationMs: Number(option('duration') ?? 10_000),
        window: 4_000,
        log,
      });
      const file = join(resultsDir, 'cluster.json');
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      formatWithBiome(file);
      log(`wrote ${file}`);
    } finally {
      await harness.close();
    }
    return;
  }
  const parameters = flag('quick') ? { ...QUICK } : { ...FULL };
  // A run narrowed by a development switch is written as `dev` and leaves BENCHMARKS.md alone.
  const switches = [
    'targets',
    'reps',
    'users',
    'duration',
    'rates',
    'storms',
    'unbounded',
    'resume',
    'receipts',
    'redis-core',
  ];
  const narrowed =
    switches.some((name) => option(name) !== undefined) ||
    [
      'no-legacy',
      'no-session',
      'no-unbounded',
      'no-durable',
      'no-hostile',
      'no-sioc',
      'no-receipts',
    ].some(flag) ||
    flag('only-receipts');
  if (narrowed) parameters.name = 'dev';
  const reps = option('reps');
  if (reps !== undefined) parameters.repetitions = Number(reps);
  // Development switches: other storm sizes, or only some scenarios.
  const users = option('users');
  const duration = option('duration');
  const rates = option('rates');
  parameters.session = {
    ...parameters.session,
    ...(users === undefined ? {} : { users: Number(users) }),
    ...(duration === undefined ? {} : { durationMs: Number(duration) }),
    ...(rates === undefined ? {} : { latencyRates: rates.split(',').filter(Boolean).map(Number) }),
  };
  const storms = option('storms');
  if (storms !== undefined) parameters.stormSizes = storms.split(',').filter(Boolean).map(Number);
  const burst = option('unbounded');
  if (burst !== undefined) parameters.unbounded = { ...parameters.unbounded, count: Number(burst) };
  const resumeUsers = option('resume');
  if (resumeUsers !== undefined) {
    parameters.resume = { ...parameters.resume, users: Number(resumeUsers) };
  }
  const receiptCount = option('receipts');
  if (receiptCount !== undefined) {
    parameters.receipts = { ...parameters.receipts, count: Number(receiptCount) };
  }
  // `--only-receipts`: the receipt cost (j) alone (no storms, no other scenario).
  const only = flag('only-receipts');
  if (only) parameters.stormSizes = [];
  const skip = (name: string): boolean => only || flag(`no-${name}`);
  log(`pnpm bench: ${parameters.name} run, targets ${targets.map((t) => t.id).join(', ')}`);
  const report = await runBench({
    parameters,
    targets,
    legacy: !skip('legacy'),
    session: !skip('session'),
    unbounded: !skip('unbounded'),
    durable: !skip('durable'),
    hostile: !skip('hostile'),
    secondGenerator: !skip('sioc'),
    receipts: !flag('no-receipts'),
    redisCore,
    log,
  });
  const markdown = renderMarkdown(report);
  const jsonFile = join(resultsDir, `${parameters.name}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  // Committed results are formatted as `pnpm lint` wants them; dev results are ignored by git.
  if (!narrowed) formatWithBiome(jsonFile);
  writeFileSync(join(resultsDir, `${parameters.name}.md`), `${markdown}\n`);
  if (parameters.name === 'full') {
    const file = join(dirname(benchDir), 'BENCHMARKS.md');
    let document = '# Benchmarks\n';
    try {
      document = readFileSync(file, 'utf8');
    } catch {
      // first run: start the document
    }
    writeFileSync(file, spliceResults(document, markdown));
    log(`updated ${file}`);
  }
  log(
    `wrote ${join(resultsDir, `${parameters.name}.json`)} (${Math.round(report.durationSeconds)} s)`,
  );
  if (report.errors.length > 0)
    log(`${report.errors.length} part(s) could not run; see the report`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`pnpm bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
