import { describe, expect, it } from 'vitest';
import { type CompatFinding, compareSchemas, levelOf } from '../../src/compat/compare-schemas.js';
import type { CompatRuleId } from '../../src/compat/compat-rules.js';
import type { Impact, Party } from '../../src/compat/parties.js';
import type { SchemaDocument } from '../../src/compat/schema-document.js';
import {
  addAction,
  at,
  changed,
  currentDocument,
  EDITED_PAYLOAD,
  removeAction,
  requiredOf,
} from './documents.js';

const CREATED = '/$defs/message.created';
const BODY = `${CREATED}/properties/body`;

/** The findings of one change to a copy of the working tree's schemas. */
function findingsOf(edit: (document: SchemaDocument) => void): CompatFinding[] {
  return compareSchemas(currentDocument(), changed(edit));
}

/** The one finding of a change, checked to be the only one. */
function onlyFinding(edit: (document: SchemaDocument) => void): CompatFinding {
  const findings = findingsOf(edit);
  expect(findings.map((f) => `${f.rule} ${f.path}`)).toHaveLength(1);
  return findings[0] as CompatFinding;
}

interface Case {
  name: string;
  edit: (document: SchemaDocument) => void;
  rule: CompatRuleId;
  path: string;
  impacts: { [P in Party]?: Impact };
  subject?: string;
}

const safeForAll = { publisher: 'safe', gateway: 'deploy-first', browser: 'safe' } as const;

const cases: Case[] = [
  {
    name: 'an action added',
    edit: (d) => addAction(d, 'message.edited', EDITED_PAYLOAD),
    rule: 'action-added',
    path: '/$defs/message.edited',
    impacts: safeForAll,
    subject: 'action `message.edited`',
  },
  {
    name: 'an action removed',
    edit: (d) => removeAction(d, 'system.announcement'),
    rule: 'action-removed',
    path: '/$defs/system.announcement',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a payload field added, optional',
    edit: (d) => {
      at(d, `${CREATED}/properties`).editedAt = { type: 'integer', minimum: 0 };
    },
    rule: 'property-added-optional',
    path: `${CREATED}/properties/editedAt`,
    impacts: safeForAll,
    subject: 'payload field `editedAt` of `message.created`',
  },
  {
    name: 'a payload field added, required',
    edit: (d) => {
      at(d, `${CREATED}/properties`).editedAt = { type: 'integer', minimum: 0 };
      requiredOf(d, CREATED).push('editedAt');
    },
    rule: 'property-added-required',
    path: `${CREATED}/properties/editedAt`,
    impacts: { publisher: 'breaking', gateway: 'deploy-first', browser: 'safe' },
  },
  {
    name: 'a required payload field removed',
    edit: (d) => {
      delete at(d, `${CREATED}/properties`).body;
      requiredOf(d, CREATED).splice(requiredOf(d, CREATED).indexOf('body'), 1);
    },
    rule: 'property-removed-required',
    path: BODY,
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'breaking' },
  },
  {
    name: 'an optional payload field removed',
    edit: (d) => {
      delete at(d, `${CREATED}/properties`).attachments;
    },
    rule: 'property-removed-optional',
    path: `${CREATED}/properties/attachments`,
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a payload field made optional',
    edit: (d) => {
      requiredOf(d, CREATED).splice(requiredOf(d, CREATED).indexOf('body'), 1);
    },
    rule: 'property-made-optional',
    path: BODY,
    impacts: { publisher: 'safe', gateway: 'deploy-first', browser: 'breaking' },
  },
  {
    name: 'a payload field made required',
    edit: (d) => {
      requiredOf(d, CREATED).push('attachments');
    },
    rule: 'property-made-required',
    path: `${CREATED}/properties/attachments`,
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a type widened (integer → number)',
    edit: (d) => {
      at(d, '/$defs/conversation.unread/properties/unread').type = 'number';
    },
    rule: 'type-widened',
    path: '/$defs/conversation.unread/properties/unread',
    impacts: { publisher: 'safe', gateway: 'deploy-first', browser: 'breaking' },
  },
  {
    name: 'a type narrowed (a claim, number → integer)',
    edit: (d) => {
      at(d, '/$defs/Claims/properties/exp').type = 'integer';
    },
    rule: 'type-narrowed',
    path: '/$defs/Claims/properties/exp',
    impacts: { publisher: 'breaking', gateway: 'safe' },
    subject: 'token claim `exp`',
  },
  {
    name: 'a type changed (integer → string)',
    edit: (d) => {
      const unread = at(d, '/$defs/conversation.unread/properties/unread');
      unread.type = 'string';
      delete unread.minimum;
    },
    rule: 'type-changed',
    path: '/$defs/conversation.unread/properties/unread',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'breaking' },
  },
  {
    name: 'a user id narrowed to strings (string | integer → string)',
    edit: (d) => {
      const items = at(d, '/$defs/Envelope/properties/to/properties/users/items');
      items.anyOf = [(items.anyOf as unknown[])[0]];
    },
    rule: 'type-narrowed',
    path: '/$defs/Envelope/properties/to/properties/users/items',
    impacts: { publisher: 'breaking', gateway: 'safe' },
    subject: 'envelope field `to.users[]`',
  },
  {
    name: 'a value added to a closed enum',
    edit: (d) => {
      (at(d, '/$defs/presence.changed/properties/status').enum as string[]).push('busy');
    },
    rule: 'enum-value-added',
    path: '/$defs/presence.changed/properties/status',
    impacts: { publisher: 'safe', gateway: 'deploy-first', browser: 'breaking' },
  },
  {
    name: 'a value removed from an enum',
    edit: (d) => {
      (at(d, '/$defs/system.announcement/properties/level').enum as string[]).pop();
    },
    rule: 'enum-value-removed',
    path: '/$defs/system.announcement/properties/level',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'an error code added (an open enum)',
    edit: (d) => {
      (at(d, '/$defs/ErrorEvent/properties/code').enum as string[]).push('GONE');
      (at(d, '/$defs/ErrorCode').enum as string[]).push('GONE');
    },
    rule: 'open-enum-value-added',
    path: '/$defs/ErrorEvent/properties/code',
    impacts: { gateway: 'deploy-first', browser: 'safe' },
    subject: '`postbode:error` field `code`',
  },
  {
    name: 'a sync reason added (an open enum)',
    edit: (d) => {
      (at(d, '/$defs/SyncEvent/properties/reason').enum as string[]).push('slow');
    },
    rule: 'open-enum-value-added',
    path: '/$defs/SyncEvent/properties/reason',
    impacts: { gateway: 'deploy-first', browser: 'safe' },
  },
  {
    name: 'an enum declared open',
    edit: (d) => {
      at(d, '/$defs/presence.changed/properties/status')['x-postbode-open-enum'] = true;
    },
    rule: 'enum-opened',
    path: '/$defs/presence.changed/properties/status',
    impacts: { publisher: 'safe', gateway: 'safe', browser: 'breaking' },
  },
  {
    name: 'a maxLength lowered',
    edit: (d) => {
      at(d, BODY).maxLength = 5000;
    },
    rule: 'limit-tightened',
    path: `${BODY}/maxLength`,
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a maxLength raised',
    edit: (d) => {
      at(d, BODY).maxLength = 20000;
    },
    rule: 'limit-loosened',
    path: `${BODY}/maxLength`,
    impacts: safeForAll,
  },
  {
    name: 'a minItems raised',
    edit: (d) => {
      at(d, '/$defs/message.delivered/properties/messageIds').minItems = 2;
    },
    rule: 'limit-tightened',
    path: '/$defs/message.delivered/properties/messageIds/minItems',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a maximum added',
    edit: (d) => {
      at(d, '/$defs/conversation.unread/properties/unread').maximum = 1000;
    },
    rule: 'limit-tightened',
    path: '/$defs/conversation.unread/properties/unread/maximum',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a maxItems removed',
    edit: (d) => {
      delete at(d, '/$defs/message.delivered/properties/messageIds').maxItems;
    },
    rule: 'limit-loosened',
    path: '/$defs/message.delivered/properties/messageIds/maxItems',
    impacts: safeForAll,
  },
  {
    name: 'a pattern changed (the site of an envelope)',
    edit: (d) => {
      at(d, '/$defs/Envelope/properties/site').pattern = '^[a-z]+$';
    },
    rule: 'pattern-changed',
    path: '/$defs/Envelope/properties/site/pattern',
    impacts: { publisher: 'breaking', gateway: 'safe' },
  },
  {
    name: 'a pattern removed',
    edit: (d) => {
      delete at(d, '/$defs/Envelope/properties/site').pattern;
    },
    rule: 'pattern-removed',
    path: '/$defs/Envelope/properties/site/pattern',
    impacts: { publisher: 'safe', gateway: 'deploy-first' },
  },
  {
    name: 'a claim added, required',
    edit: (d) => {
      at(d, '/$defs/Claims/properties').tenant = { type: 'string' };
      requiredOf(d, '/$defs/Claims').push('tenant');
    },
    rule: 'property-added-required',
    path: '/$defs/Claims/properties/tenant',
    impacts: { publisher: 'breaking', gateway: 'deploy-first' },
    subject: 'token claim `tenant`',
  },
  {
    name: 'a claim removed',
    edit: (d) => {
      delete at(d, '/$defs/Claims/properties').site;
    },
    rule: 'property-removed-optional',
    path: '/$defs/Claims/properties/site',
    impacts: { publisher: 'breaking', gateway: 'safe' },
  },
  {
    name: 'an audience target added (optional)',
    edit: (d) => {
      at(d, '/$defs/Envelope/properties/to/properties').sessions = { type: 'array' };
    },
    rule: 'property-added-optional',
    path: '/$defs/Envelope/properties/to/properties/sessions',
    impacts: { publisher: 'safe', gateway: 'deploy-first' },
    subject: 'envelope field `to.sessions`',
  },
  {
    name: 'an audience target removed',
    edit: (d) => {
      delete at(d, '/$defs/Envelope/properties/to/properties').roles;
    },
    rule: 'property-removed-optional',
    path: '/$defs/Envelope/properties/to/properties/roles',
    impacts: { publisher: 'breaking', gateway: 'safe' },
  },
  {
    name: 'a required meta field removed',
    edit: (d) => {
      delete at(d, '/$defs/Meta/properties').ts;
      requiredOf(d, '/$defs/Meta').splice(requiredOf(d, '/$defs/Meta').indexOf('ts'), 1);
    },
    rule: 'property-removed-required',
    path: '/$defs/Meta/properties/ts',
    impacts: { gateway: 'safe', browser: 'breaking' },
    subject: 'meta field `ts`',
  },
  {
    name: 'a meta field added, required (browsers read it; the gateway sends it)',
    edit: (d) => {
      at(d, '/$defs/Meta/properties').node = { type: 'string' };
      requiredOf(d, '/$defs/Meta').push('node');
    },
    rule: 'property-added-required',
    path: '/$defs/Meta/properties/node',
    impacts: { gateway: 'deploy-first', browser: 'safe' },
  },
  {
    name: 'a handshake field added, required (browsers send it)',
    edit: (d) => {
      at(d, '/$defs/HandshakeAuth/properties').sdk = { type: 'string' };
      requiredOf(d, '/$defs/HandshakeAuth').push('sdk');
    },
    rule: 'property-added-required',
    path: '/$defs/HandshakeAuth/properties/sdk',
    impacts: { browser: 'breaking', gateway: 'deploy-first' },
  },
  {
    name: 'the cursor offset pattern changed',
    edit: (d) => {
      at(d, '/$defs/HandshakeAuth/properties/cursor/properties/offset').pattern = '^[0-9]+$';
    },
    rule: 'pattern-changed',
    path: '/$defs/HandshakeAuth/properties/cursor/properties/offset/pattern',
    impacts: { browser: 'breaking', gateway: 'safe' },
    subject: 'handshake field `cursor.offset`',
  },
  {
    name: 'claims closed to other properties',
    edit: (d) => {
      at(d, '/$defs/Claims').additionalProperties = false;
    },
    rule: 'object-closed',
    path: '/$defs/Claims/additionalProperties',
    impacts: { publisher: 'breaking', gateway: 'safe' },
  },
  {
    name: 'a payload opened to other properties',
    edit: (d) => {
      delete at(d, CREATED).additionalProperties;
    },
    rule: 'object-opened',
    path: `${CREATED}/additionalProperties`,
    impacts: safeForAll,
  },
  {
    name: 'an id that is no longer an id for the generator',
    edit: (d) => {
      delete at(d, `${CREATED}/properties/messageId`)['x-postbode-kind'];
    },
    rule: 'kind-changed',
    path: `${CREATED}/properties/messageId`,
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'safe' },
  },
  {
    name: 'a keyword the checker does not know',
    edit: (d) => {
      at(d, '/$defs/notification.created/properties/url').format = 'uri';
    },
    rule: 'keyword-changed',
    path: '/$defs/notification.created/properties/url/format',
    impacts: { publisher: 'breaking', gateway: 'safe', browser: 'breaking' },
  },
  {
    name: 'an item of an array of objects: a field added, optional',
    edit: (d) => {
      at(d, `${CREATED}/properties/attachments/items/properties`).size = { type: 'integer' };
    },
    rule: 'property-added-optional',
    path: `${CREATED}/properties/attachments/items/properties/size`,
    impacts: safeForAll,
    subject: 'payload field `attachments[].size` of `message.created`',
  },
  {
    name: 'a definition no one declared a role for',
    edit: (d) => {
      (d.$defs as Record<string, unknown>).Presence = { type: 'object' };
    },
    rule: 'definition-added',
    path: '/$defs/Presence',
    impacts: { publisher: 'safe', gateway: 'deploy-first', browser: 'safe' },
  },
];

describe('compareSchemas: each rule, judged for each party', () => {
  it('finds nothing between a document and its copy', () => {
    expect(compareSchemas(currentDocument(), currentDocument())).toEqual([]);
  });

  it.each(cases)('$name: $rule', ({ edit, rule, path, impacts, subject }) => {
    const finding = onlyFinding(edit);
    expect(finding.rule).toBe(rule);
    expect(finding.path).toBe(path);
    expect(finding.impacts).toEqual(impacts);
    for (const party of Object.keys(impacts)) {
      expect(finding.reasons[party as Party], party).toMatch(/\w/);
    }
    if (subject !== undefined) expect(finding.subject).toBe(subject);
    const breaking = Object.values(impacts).includes('breaking');
    expect(finding.level).toBe(breaking ? 'breaking' : 'compatible');
  });

  it('a description changed is documentation only', () => {
    const finding = onlyFinding((d) => {
      at(d, BODY).description = 'The text.';
    });
    expect(finding).toMatchObject({ rule: 'docs-changed', path: BODY, level: 'docs' });
  });

  it('reports a limit with its old and new value', () => {
    const finding = onlyFinding((d) => {
      at(d, BODY).maxLength = 5000;
    });
    expect(finding.detail).toBe('maxLength 10000 → 5000');
    expect(finding.subject).toBe('payload field `body` of `message.created`');
  });

  it('reports a definition inlined in another once, where it is inlined', () => {
    // Audience alone changed: nothing (it is checked as Envelope /to).
    expect(
      findingsOf((d) => {
        delete at(d, '/$defs/Audience/properties').roles;
      }),
    ).toEqual([]);
  });

  it('one finding per enum value', () => {
    const findings = findingsOf((d) => {
      (at(d, '/$defs/presence.changed/properties/status').enum as string[]).push('busy', 'dnd');
    });
    expect(findings.map((f) => f.detail)).toEqual(['value "busy" added', 'value "dnd" added']);
  });

  it('the level of several findings is the heaviest', () => {
    const findings = findingsOf((d) => {
      at(d, BODY).description = 'The text.';
      at(d, BODY).maxLength = 20000;
      at(d, '/$defs/Claims/properties/exp').type = 'integer';
    });
    expect(findings.map((f) => f.level).sort()).toEqual(['breaking', 'compatible', 'docs']);
    expect(levelOf(findings)).toBe('breaking');
    expect(levelOf(findings.filter((f) => f.level !== 'breaking'))).toBe('compatible');
    expect(levelOf([])).toBe('none');
  });

  it('contract 6 as a step: meta.offset added, optional, would have been compatible', () => {
    const withoutOffset = changed((d) => {
      delete at(d, '/$defs/Meta/properties').offset;
    });
    const [finding, ...rest] = compareSchemas(withoutOffset, currentDocument());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: 'property-added-optional',
      path: '/$defs/Meta/properties/offset',
      level: 'compatible',
      impacts: { gateway: 'deploy-first', browser: 'safe' },
    });
  });
});
