/**
 * `@postbode/protocol/validate`: checking received payloads, for clients that load it on demand
 * (the SDK's `validate: true`). A narrow entry on purpose: importing the main entry lazily
 * would make a bundler keep every export of the core in the chunk shared with the client's
 * initial bundle.
 * @packageDocumentation
 */
export { checkPayload } from './check-payload.js';
export type { SchemaProblem } from './format-schema-error.js';
export { isServerActionName } from './server-actions.js';
