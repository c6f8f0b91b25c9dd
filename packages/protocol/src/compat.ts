/**
 * `@postbode/protocol/compat`: the breaking-change gate and release notes of the protocol,
 * modelled on `buf breaking`. Compares two versions of the JSON Schema (`buildJsonSchema()`, the
 * snapshots in `schema/releases/`), judges each difference for the publisher (PHP), the gateway
 * and older browsers, checks that the version bump covers it (semver; while the major is 0 the
 * minor is the breaking one), and writes Markdown release notes. No TypeBox, no platform APIs:
 * `pnpm protocol:check` and `pnpm protocol:changelog` are thin Node scripts around it.
 *
 * @example
 * import { checkProtocol, formatCompatCheck } from '@postbode/protocol/compat';
 * const check = checkProtocol(releases, { version: '0.2.0', schema: buildJsonSchema() });
 * for (const line of formatCompatCheck(check)) console.log(line);
 * @packageDocumentation
 */
export {
  type CompatCheck,
  type CompatStep,
  checkProtocol,
  type ProtocolRelease,
} from './compat/check-protocol.js';
export {
  type ChangeLevel,
  type CompatFinding,
  compareSchemas,
  impactsOf,
  levelOf,
} from './compat/compare-schemas.js';
export {
  COMPAT_RULE_IDS,
  COMPAT_RULES,
  type CompatRule,
  type CompatRuleId,
} from './compat/compat-rules.js';
export {
  ACTION_ROLE,
  DEFINITION_ROLES,
  type DefinitionRole,
  UNDECLARED_ROLE,
} from './compat/definition-roles.js';
export { diffSchemaNode, type NodePlace, type SchemaChange } from './compat/diff-schema-node.js';
export { formatCompatCheck, formatFinding, PARTY_LABELS } from './compat/format-compat-check.js';
export { type Impact, PARTIES, PARTY_ORDER, type Party } from './compat/parties.js';
export { type ChangelogRange, renderChangelog } from './compat/render-changelog.js';
export { COMPAT_RULES_MARKER, renderCompatRulesMarkdown } from './compat/render-compat-rules.js';
export {
  actionNamesOf,
  EMPTY_SCHEMA_DOCUMENT,
  isSchemaDocument,
  type JsonSchema,
  type SchemaDocument,
} from './compat/schema-document.js';
export {
  type Bump,
  bumpBetween,
  bumpCovers,
  compareVersions,
  nextVersion,
  parseVersion,
  requiredBump,
  type Version,
} from './compat/semver.js';
