/** What a rule says about the two ends of a change, and why. */
export interface CompatRule {
  /** What the rule detects. */
  readonly summary: string;
  /**
   * For the party whose older code sends the values the new gateway validates: the publisher
   * (payloads, envelope, claims), or browsers (the handshake).
   */
  readonly sender: 'safe' | 'breaking';
  readonly senderWhy: string;
  /** For older browsers that read the values the new gateway delivers. */
  readonly reader: 'safe' | 'breaking';
  readonly readerWhy: string;
  /** True when the gateway must be upgraded before publishers or browsers use the change. */
  readonly gatewayFirst: boolean;
  /** True when only documentation changed (descriptions, examples). */
  readonly docsOnly?: true;
}

const IGNORED_FIELDS =
  'browsers ignore fields they do not know (the SDK passes payloads through as they are)';
const REJECTED = 'the gateway rejects what they send';

/**
 * Every rule of `pnpm protocol:check`, modelled on `buf breaking`: each difference between two
 * versions of the schemas is one of these, judged for each party. The table in
 * `docs/protocol-versions.md` is generated from it.
 */
export const COMPAT_RULES = {
  'action-added': {
    summary: 'A server action was added.',
    sender: 'safe',
    senderWhy: 'older publishers do not know it and publish the others as before',
    reader: 'safe',
    readerWhy:
      'the SDK hands an action it does not know to `onAny` handlers only; older apps have no handler for it',
    gatewayFirst: true,
  },
  'action-removed': {
    summary: 'A server action was removed.',
    sender: 'breaking',
    senderWhy: 'older publishers still publish it and the gateway rejects it (`UNKNOWN_ACTION`)',
    reader: 'safe',
    readerWhy: 'older browsers stop receiving it; their handlers are not called',
    gatewayFirst: false,
  },
  'definition-added': {
    summary: 'A definition (not an action) was added.',
    sender: 'safe',
    senderWhy: 'nothing older sends it',
    reader: 'safe',
    readerWhy: 'nothing older reads it',
    gatewayFirst: true,
  },
  'definition-removed': {
    summary: 'A definition (not an action) was removed.',
    sender: 'breaking',
    senderWhy: 'older code may still send it',
    reader: 'breaking',
    readerWhy: 'older code may still read it',
    gatewayFirst: false,
  },
  'property-added-optional': {
    summary: 'An optional property was added.',
    sender: 'safe',
    senderWhy: 'older senders leave it out, which is allowed',
    reader: 'safe',
    readerWhy: IGNORED_FIELDS,
    gatewayFirst: true,
  },
  'property-added-required': {
    summary: 'A required property was added.',
    sender: 'breaking',
    senderWhy: `older senders do not send it: ${REJECTED}`,
    reader: 'safe',
    readerWhy: IGNORED_FIELDS,
    gatewayFirst: true,
  },
  'property-removed-optional': {
    summary: 'An optional property was removed.',
    sender: 'breaking',
    senderWhy:
      'older senders may still send it: the gateway rejects it (closed objects) or ignores what it meant (open ones)',
    reader: 'safe',
    readerWhy: 'older browsers already handle its absence: it was optional',
    gatewayFirst: false,
  },
  'property-removed-required': {
    summary: 'A required property was removed.',
    sender: 'breaking',
    senderWhy:
      'older senders still send it: the gateway rejects it (closed objects) or ignores what it meant (open ones)',
    reader: 'breaking',
    readerWhy: 'older browsers read it and find it missing',
    gatewayFirst: false,
  },
  'property-made-optional': {
    summary: 'A required property became optional.',
    sender: 'safe',
    senderWhy: 'older senders still send it, which is allowed',
    reader: 'breaking',
    readerWhy: 'older browsers (and their types) expect it to be always there',
    gatewayFirst: true,
  },
  'property-made-required': {
    summary: 'An optional property became required.',
    sender: 'breaking',
    senderWhy: `older senders may leave it out: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'older browsers already handle it present',
    gatewayFirst: false,
  },
  'object-closed': {
    summary: 'An object no longer accepts properties it does not declare.',
    sender: 'breaking',
    senderWhy: `older senders may send other properties: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'older browsers receive fewer properties',
    gatewayFirst: false,
  },
  'object-opened': {
    summary: 'An object now accepts properties it does not declare.',
    sender: 'safe',
    senderWhy: 'everything older senders send is still accepted',
    reader: 'safe',
    readerWhy: IGNORED_FIELDS,
    gatewayFirst: true,
  },
  'type-narrowed': {
    summary: 'A value accepts fewer types (number → integer, string | integer → string).',
    sender: 'breaking',
    senderWhy: `values of the old type are rejected: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'older browsers handle the remaining types',
    gatewayFirst: false,
  },
  'type-widened': {
    summary: 'A value accepts more types (integer → number, string → string | integer).',
    sender: 'safe',
    senderWhy: 'everything older senders send is still accepted',
    reader: 'breaking',
    readerWhy: 'older browsers (and their types) expect the old type only',
    gatewayFirst: true,
  },
  'type-changed': {
    summary: 'A value changed to an unrelated type.',
    sender: 'breaking',
    senderWhy: `values of the old type are rejected: ${REJECTED}`,
    reader: 'breaking',
    readerWhy: 'older browsers expect the old type',
    gatewayFirst: false,
  },
  'enum-value-added': {
    summary: 'A value was added to a closed enum.',
    sender: 'safe',
    senderWhy: 'older senders send the old values, all still accepted',
    reader: 'breaking',
    readerWhy:
      'older browsers do not know the value: their types and exhaustive handlers list the old ones only',
    gatewayFirst: true,
  },
  'open-enum-value-added': {
    summary: 'A value was added to an open enum (`x-postbode-open-enum`).',
    sender: 'safe',
    senderWhy: 'older senders send the old values, all still accepted',
    reader: 'safe',
    readerWhy: 'readers of an open enum must accept values they do not know',
    gatewayFirst: true,
  },
  'enum-value-removed': {
    summary: 'A value was removed from an enum.',
    sender: 'breaking',
    senderWhy: `older senders may still send it: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'older browsers stop receiving a value they know',
    gatewayFirst: false,
  },
  'enum-opened': {
    summary: 'An enum was declared open (`x-postbode-open-enum`).',
    sender: 'safe',
    senderWhy: 'what is accepted does not change',
    reader: 'breaking',
    readerWhy:
      'bundles built before this version were not told to accept unknown values: the promise holds only from a breaking release on',
    gatewayFirst: false,
  },
  'enum-closed': {
    summary: 'An enum is no longer declared open.',
    sender: 'safe',
    senderWhy: 'what is accepted does not change',
    reader: 'safe',
    readerWhy: 'older browsers were told to accept more than they will get',
    gatewayFirst: false,
  },
  'limit-tightened': {
    summary:
      'A limit is stricter: `maxLength`, `maximum`, `exclusiveMaximum`, `maxItems` lower or new; `minLength`, `minimum`, `exclusiveMinimum`, `minItems` higher or new.',
    sender: 'breaking',
    senderWhy: `values older senders may send (and their generated checks allow) are out of range: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'older browsers receive values inside the old range',
    gatewayFirst: false,
  },
  'limit-loosened': {
    summary: 'A limit is looser (or removed).',
    sender: 'safe',
    senderWhy: 'everything older senders send is still in range',
    reader: 'safe',
    readerWhy:
      'limits are not in the TypeScript types: browsers must not rely on them (see the reading rules)',
    gatewayFirst: true,
  },
  'pattern-changed': {
    summary: 'A `pattern` was added or changed.',
    sender: 'breaking',
    senderWhy: `values older senders may send can fail the new pattern: ${REJECTED}`,
    reader: 'safe',
    readerWhy: 'patterns are not in the TypeScript types: browsers must not rely on them',
    gatewayFirst: false,
  },
  'pattern-removed': {
    summary: 'A `pattern` was removed.',
    sender: 'safe',
    senderWhy: 'everything older senders send is still accepted',
    reader: 'safe',
    readerWhy: 'patterns are not in the TypeScript types: browsers must not rely on them',
    gatewayFirst: true,
  },
  'kind-changed': {
    summary: 'The generator annotation `x-postbode-kind` (id, timestamp) changed.',
    sender: 'breaking',
    senderWhy:
      'the wire is the same, but the regenerated PHP parameter changes type (`int|string` ids, `\\DateTimeInterface` times): code that calls the Publisher must change',
    reader: 'safe',
    readerWhy: 'the value on the wire is the same',
    gatewayFirst: false,
  },
  'keyword-changed': {
    summary: 'A keyword the checker does not classify was added, removed or changed.',
    sender: 'breaking',
    senderWhy: 'not classified, so treated as breaking: judge it by hand, or teach the checker',
    reader: 'breaking',
    readerWhy: 'not classified, so treated as breaking: judge it by hand, or teach the checker',
    gatewayFirst: false,
  },
  'docs-changed': {
    summary: 'A `description`, `examples`, `title`, `default` or `$comment` changed.',
    sender: 'safe',
    senderWhy: 'documentation only (the generated PHPDoc changes)',
    reader: 'safe',
    readerWhy: 'documentation only',
    gatewayFirst: false,
    docsOnly: true,
  },
} as const satisfies { readonly [id: string]: CompatRule };

/** The id of one of the {@link COMPAT_RULES}. */
export type CompatRuleId = keyof typeof COMPAT_RULES;

/** Every rule id, in the table's order. */
export const COMPAT_RULE_IDS = Object.keys(COMPAT_RULES) as CompatRuleId[];
