/**
 * `@postbode/codegen`: what every generator of the repository shares. Private, build-time only.
 * @packageDocumentation
 */
export {
  type FindStaleFilesOptions,
  findStaleFiles,
  type StaleFile,
} from './find-stale-files.js';
export type { GeneratedFile } from './generated-file.js';
export { replaceBetweenMarkers } from './replace-between-markers.js';
export { type RunGeneratorOptions, runGenerator } from './run-generator.js';
export { type WriteGeneratedResult, writeGeneratedFiles } from './write-generated-files.js';
