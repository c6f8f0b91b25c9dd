import { describe, expect, it } from 'vitest';
import { COMPAT_RULE_IDS } from '../../src/compat/compat-rules.js';
import { renderChangelog } from '../../src/compat/render-changelog.js';
import { renderCompatRulesMarkdown } from '../../src/compat/render-compat-rules.js';
import { serverActionNames } from '../../src/server-actions.js';
import {
  addAction,
  at,
  changed,
  currentDocument,
  EDITED_PAYLOAD,
  requiredOf,
} from './documents.js';

describe('renderChangelog', () => {
  const from = { version: '0.1.0', schema: currentDocument() };

  it('says so when nothing changed', () => {
    expect(renderChangelog({ from, to: { version: '0.1.1', schema: currentDocument() } })).toBe(
      '# Postbode protocol 0.1.1\n\nNo changes to the schemas since 0.1.0.\n',
    );
  });

  it('writes the deploy order, then what breaks and what is new for each audience', () => {
    const schema = changed((d) => {
      addAction(d, 'message.edited', EDITED_PAYLOAD);
      at(d, '/$defs/message.read/properties').device = {
        type: 'string',
        description: 'Where it was read.',
      };
      requiredOf(d, '/$defs/message.read').push('device');
      (at(d, '/$defs/presence.changed/properties/status').enum as string[]).push('busy');
      at(d, '/$defs/message.created/properties/body').description = 'The text.';
    });
    const markdown = renderChangelog({ from, to: { version: '0.2.0', schema } });
    expect(markdown).toContain(
      'Changes since 0.1.0: 4, breaking as a whole (it needs 0.2.0 or later).',
    );
    expect(markdown).toContain('1. **The gateway first.**');
    expect(markdown).toContain('2. **Then the PHP backend:**');
    expect(markdown).toContain('older bundles mishandle the 1 change(s)');
    const php = markdown.slice(
      markdown.indexOf('## For PHP developers'),
      markdown.indexOf('## For front-end'),
    );
    expect(php).toContain(
      '### Breaking\n\n- payload field `device` of `message.read`: added, required. Where it was read. Why it breaks: older senders do not send it: the gateway rejects what they send.',
    );
    expect(php).toContain('- action `message.edited`: added. A message was edited.');
    const web = markdown.slice(
      markdown.indexOf('## For front-end'),
      markdown.indexOf('## Documentation'),
    );
    expect(web).toContain(
      '### Breaking\n\n- payload field `status` of `presence.changed`: value "busy" added.',
    );
    expect(web).toContain('### New and changed (compatible)');
    expect(markdown).toContain(
      '## Documentation\n\n- payload field `body` of `message.created`: description changed. The text.',
    );
  });

  it('without an earlier release, writes the notes of a first release', () => {
    const markdown = renderChangelog({ to: from });
    expect(markdown).toContain('The first release of the protocol');
    for (const name of serverActionNames) expect(markdown).toContain(`action \`${name}\`: added.`);
    expect(markdown).not.toContain('## Deploy in this order');
  });
});

describe('renderCompatRulesMarkdown', () => {
  it('has a row per rule', () => {
    const table = renderCompatRulesMarkdown().split('\n');
    expect(table).toHaveLength(COMPAT_RULE_IDS.length + 2);
    for (const id of COMPAT_RULE_IDS) {
      expect(
        table.some((row) => row.startsWith(`| \`${id}\` |`)),
        id,
      ).toBe(true);
    }
  });
});
