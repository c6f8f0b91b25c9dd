import { describe, expect, it } from 'vitest';
import { checkProtocol, type ProtocolRelease } from '../../src/compat/check-protocol.js';
import { formatCompatCheck } from '../../src/compat/format-compat-check.js';
import type { SchemaDocument } from '../../src/compat/schema-document.js';
import { at, changed, currentDocument, requiredOf } from './documents.js';

const release = (version: string, schema: SchemaDocument = currentDocument()): ProtocolRelease => ({
  version,
  schema,
});

/** A breaking change: a new required payload field. */
const breaking = changed((d) => {
  at(d, '/$defs/message.created/properties').editedAt = { type: 'integer', minimum: 0 };
  requiredOf(d, '/$defs/message.created').push('editedAt');
});
/** A compatible change: a looser limit. */
const compatible = changed((d) => {
  at(d, '/$defs/message.created/properties/body').maxLength = 20000;
});
/** Documentation only. */
const docs = changed((d) => {
  at(d, '/$defs/message.created/properties/body').description = 'The text.';
});

describe('checkProtocol', () => {
  it('passes when the working tree is the latest release', () => {
    const check = checkProtocol([release('0.1.0')], release('0.1.0'));
    expect(check.ok).toBe(true);
    expect(check.steps.map((s) => [s.from, s.to, s.current, s.ok])).toEqual([
      [undefined, '0.1.0', false, true],
      ['0.1.0', '0.1.0', true, true],
    ]);
  });

  it('passes with no release yet', () => {
    expect(checkProtocol([], release('0.1.0')).ok).toBe(true);
  });

  it('fails when the schemas changed after their version was released', () => {
    for (const [schema, minimum] of [
      [breaking, '0.2.0'],
      [compatible, '0.1.1'],
      [docs, '0.1.1'],
    ] as const) {
      const check = checkProtocol([release('0.1.0')], release('0.1.0', schema));
      expect(check.ok).toBe(false);
      const step = check.steps.at(-1);
      expect(step?.minimum).toBe(minimum);
      expect(step?.problem).toContain(`release them as ${minimum} or later`);
    }
  });

  it('while the major is 0, a breaking change needs the minor bumped', () => {
    expect(checkProtocol([release('0.1.0')], release('0.1.1', breaking)).ok).toBe(false);
    expect(checkProtocol([release('0.1.0')], release('0.2.0', breaking)).ok).toBe(true);
    expect(checkProtocol([release('0.1.0')], release('1.0.0', breaking)).ok).toBe(true);
    const step = checkProtocol([release('0.1.0')], release('0.1.1', breaking)).steps.at(-1);
    expect(step?.problem).toBe(
      'breaking changes need 0.2.0 or later after 0.1.0 (a minor bump: while the major version is 0, a breaking change takes the minor), not 0.1.1',
    );
  });

  it('from 1.0.0, a breaking change needs the major bumped, a compatible one the minor', () => {
    expect(checkProtocol([release('1.2.0')], release('1.3.0', breaking)).ok).toBe(false);
    expect(checkProtocol([release('1.2.0')], release('2.0.0', breaking)).ok).toBe(true);
    expect(checkProtocol([release('1.2.0')], release('1.2.1', compatible)).ok).toBe(false);
    expect(checkProtocol([release('1.2.0')], release('1.3.0', compatible)).ok).toBe(true);
    expect(checkProtocol([release('1.2.0')], release('1.2.1', docs)).ok).toBe(true);
  });

  it('allows a bump without schema changes', () => {
    expect(checkProtocol([release('0.1.0')], release('0.1.1')).ok).toBe(true);
  });

  it('checks every step between releases (a snapshot edited by hand fails)', () => {
    const check = checkProtocol(
      [release('0.1.1', breaking), release('0.1.0')],
      release('0.1.1', breaking),
    );
    expect(check.ok).toBe(false);
    expect(check.steps.map((s) => `${s.from}→${s.to} ${s.ok}`)).toEqual([
      'undefined→0.1.0 true',
      '0.1.0→0.1.1 false',
      '0.1.1→0.1.1 true',
    ]);
  });

  it('fails when the working tree is older than a release, or a version is malformed', () => {
    const older = checkProtocol([release('0.1.0'), release('0.2.0')], release('0.1.0'));
    expect(older.ok).toBe(false);
    expect(older.steps.at(-1)?.problem).toBe('0.1.0 is older than the release 0.2.0');
    const malformed = checkProtocol([release('0.1.0')], release('0.2'));
    expect(malformed.ok).toBe(false);
    expect(malformed.steps[0]?.problem).toContain("'0.2' is not a release version");
  });

  it('prints each finding with its path, rule and each party, and the verdict', () => {
    const lines = formatCompatCheck(checkProtocol([release('0.1.0')], release('0.1.0', breaking)));
    expect(lines).toEqual([
      'ok   0.1.0: first release',
      'FAIL 0.1.0 → 0.1.0 (working tree): 1 change(s), breaking, needs 0.2.0 or later',
      '       BREAKING  property-added-required  /$defs/message.created/properties/editedAt',
      '           payload field `editedAt` of `message.created`: added, required',
      '           publisher (PHP): BREAKING: older senders do not send it: the gateway rejects what they send',
      '           gateway: deploy first: an older gateway rejects or lacks it: upgrade the gateway before publishers or browsers use it',
      '           old browsers: safe: browsers ignore fields they do not know (the SDK passes payloads through as they are)',
      '       the schemas changed since 0.1.0 was released (breaking): release them as 0.2.0 or later (set it in packages/protocol/package.json, then pnpm generate)',
      'protocol:check: failed (docs/protocol-versions.md explains the rules)',
    ]);
  });
});
