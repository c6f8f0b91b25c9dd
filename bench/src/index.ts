/**
 * `@postbode/bench`: the harness behind `pnpm bench`, exported for its smoke test.
 * @packageDocumentation
 */
export { type BenchParameters, FULL, QUICK, SMOKE } from './parameters.js';
export { renderMarkdown, spliceResults } from './report/render-markdown.js';
export type { BenchReport, SummaryRow } from './report/report.js';
export { type RunBenchOptions, runBench } from './run-bench.js';
export { ALL_TARGETS } from './targets/all-targets.js';
export { postbodeStreamTarget, postbodeTarget } from './targets/postbode.js';
export { relayTarget } from './targets/relay.js';
export type { Target } from './targets/target.js';
