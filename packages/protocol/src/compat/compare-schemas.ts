import { COMPAT_RULES, type CompatRule, type CompatRuleId } from './compat-rules.js';
import {
  ACTION_ROLE,
  DEFINITION_ROLES,
  type DefinitionRole,
  UNDECLARED_ROLE,
} from './definition-roles.js';
import { childPointer, diffSchemaNode, type SchemaChange } from './diff-schema-node.js';
import type { Impact, Party } from './parties.js';
import { actionNamesOf, type SchemaDocument } from './schema-document.js';

/**
 * How much a set of changes weighs: `breaking` (some party's older code breaks), `compatible`
 * (a contract change that breaks no one), `docs` (documentation only).
 */
export type ChangeLevel = 'breaking' | 'compatible' | 'docs';

/** One difference between two versions of the protocol, judged for each party. */
export interface CompatFinding extends SchemaChange {
  /** The `$defs` key it is in: an action name or a definition name. */
  readonly definition: string;
  /** True when `definition` is a server action. */
  readonly isAction: boolean;
  /** What changed, for people: "payload field `body` of `message.created`". */
  readonly subject: string;
  /** What it means to each party involved (a party that is not involved is absent). */
  readonly impacts: { readonly [P in Party]?: Impact };
  /** Why, for each party in `impacts`. */
  readonly reasons: { readonly [P in Party]?: string };
  readonly level: ChangeLevel;
}

const GATEWAY_FIRST =
  'an older gateway rejects or lacks it: upgrade the gateway before publishers or browsers use it';
const GATEWAY_SAFE = 'the gateway runs its own version: nothing to order';

const LEVEL_RANK: Record<ChangeLevel, number> = { docs: 1, compatible: 2, breaking: 3 };

/** The heavier of two levels (`none` when there is no change at all). */
export function heavierLevel(
  a: ChangeLevel | 'none',
  b: ChangeLevel | 'none',
): ChangeLevel | 'none' {
  if (a === 'none') return b;
  if (b === 'none') return a;
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The level of a set of findings: the heaviest of them, `none` when there are none. */
export function levelOf(findings: readonly CompatFinding[]): ChangeLevel | 'none' {
  return findings.reduce<ChangeLevel | 'none'>((level, f) => heavierLevel(level, f.level), 'none');
}

/** What rule `rule` means to each party of a definition with `role`, and why. */
export function impactsOf(
  rule: CompatRuleId,
  role: DefinitionRole,
): { impacts: { [P in Party]?: Impact }; reasons: { [P in Party]?: string } } {
  const judged = COMPAT_RULES[rule];
  const impacts: { [P in Party]?: Impact } = {};
  const reasons: { [P in Party]?: string } = {};
  if (role.sender !== 'gateway') {
    impacts[role.sender] = judged.sender;
    reasons[role.sender] = judged.senderWhy;
  }
  impacts.gateway = judged.gatewayFirst ? 'deploy-first' : 'safe';
  reasons.gateway = judged.gatewayFirst ? GATEWAY_FIRST : GATEWAY_SAFE;
  if (role.readByBrowsers) {
    impacts.browser = judged.reader;
    reasons.browser = judged.readerWhy;
  }
  return { impacts, reasons };
}

function subjectOf(name: string, isAction: boolean, role: DefinitionRole, field: string): string {
  if (isAction)
    return field === '' ? `action \`${name}\`` : `payload field \`${field}\` of \`${name}\``;
  return field === '' ? `definition \`${name}\`` : `${role.noun} \`${field}\``;
}

function judge(
  change: SchemaChange,
  definition: string,
  isAction: boolean,
  role: DefinitionRole,
): CompatFinding {
  const { impacts, reasons } = impactsOf(change.rule, role);
  const rule: CompatRule = COMPAT_RULES[change.rule];
  const level: ChangeLevel = rule.docsOnly
    ? 'docs'
    : Object.values(impacts).includes('breaking')
      ? 'breaking'
      : 'compatible';
  return {
    ...change,
    definition,
    isAction,
    subject: subjectOf(definition, isAction, role, change.field),
    impacts,
    reasons,
    level,
  };
}

/** The role of a definition that is not an action. */
function roleOf(name: string): DefinitionRole {
  return DEFINITION_ROLES[name] ?? UNDECLARED_ROLE;
}

/**
 * Every difference between two versions of the protocol's JSON Schema, each judged for the
 * publisher, the gateway and older browsers (`COMPAT_RULES`): actions added and removed, then
 * each definition compared node by node. Sorted by path. Definitions that another one inlines
 * (`Audience` in `Envelope`) are compared there, so each change is reported once.
 *
 * @example
 * const findings = compareSchemas(released, buildJsonSchema());
 * const breaking = findings.filter((finding) => finding.level === 'breaking');
 */
export function compareSchemas(previous: SchemaDocument, current: SchemaDocument): CompatFinding[] {
  const findings: CompatFinding[] = [];
  const previousActions = new Set(actionNamesOf(previous));
  const currentActions = new Set(actionNamesOf(current));
  const names = [...new Set([...Object.keys(previous.$defs), ...Object.keys(current.$defs)])];
  for (const name of names) {
    const isAction = previousActions.has(name) || currentActions.has(name);
    const role = isAction ? ACTION_ROLE : roleOf(name);
    if (!isAction && role.checkedAt !== undefined) continue;
    const before = previous.$defs[name];
    const after = current.$defs[name];
    const pointer = childPointer('/$defs', name);
    const place = { pointer, field: [] };
    const whole = (rule: CompatRuleId, detail: string, description: unknown) =>
      findings.push(
        judge(
          {
            rule,
            path: pointer,
            field: '',
            detail,
            ...(typeof description === 'string' ? { description } : {}),
          },
          name,
          isAction,
          role,
        ),
      );
    if (before === undefined && after !== undefined) {
      whole(isAction ? 'action-added' : 'definition-added', 'added', after.description);
    } else if (before !== undefined && after === undefined) {
      whole(isAction ? 'action-removed' : 'definition-removed', 'removed', before.description);
    } else if (before !== undefined && after !== undefined) {
      for (const change of diffSchemaNode(before, after, place)) {
        findings.push(judge(change, name, isAction, role));
      }
    }
  }
  return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
