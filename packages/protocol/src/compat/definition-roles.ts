import { clientActionNames } from '../client-actions.js';
import { clientActionDefinitionName } from '../schema-keywords.js';
import type { Party } from './parties.js';

/** Who sends the values of a definition, and who reads them. */
export interface DefinitionRole {
  /**
   * The party that produces the values. When it is the publisher or a browser, the gateway
   * validates what it sends: what the new schemas reject breaks that party's older code.
   */
  readonly sender: Party;
  /** True when browsers read the values: what their older code does not expect breaks them. */
  readonly readByBrowsers: boolean;
  /** What one property is called in findings, e.g. `token claim` (token claim `site`). */
  readonly noun: string;
  /**
   * JSON pointer of the place where this definition is inlined in another one, where it is
   * checked (so that one change is reported once).
   */
  readonly checkedAt?: string;
}

/**
 * The role of every definition of the document that is not an action (a test fails when a
 * definition has none). Actions have {@link ACTION_ROLE}.
 */
export const DEFINITION_ROLES: { readonly [name: string]: DefinitionRole } = {
  Audience: {
    sender: 'publisher',
    readByBrowsers: false,
    noun: 'audience field',
    checkedAt: '/$defs/Envelope/properties/to',
  },
  Claims: { sender: 'publisher', readByBrowsers: false, noun: 'token claim' },
  ClientEvent: { sender: 'browser', readByBrowsers: false, noun: '`postbode:event` field' },
  ClientEventAck: { sender: 'gateway', readByBrowsers: true, noun: '`postbode:event` ack field' },
  Cursor: {
    sender: 'browser',
    readByBrowsers: false,
    noun: 'cursor field',
    checkedAt: '/$defs/HandshakeAuth/properties/cursor',
  },
  Envelope: { sender: 'publisher', readByBrowsers: false, noun: 'envelope field' },
  ErrorCode: {
    sender: 'gateway',
    readByBrowsers: true,
    noun: 'error code',
    checkedAt: '/$defs/ErrorEvent/properties/code',
  },
  ErrorEvent: { sender: 'gateway', readByBrowsers: true, noun: '`postbode:error` field' },
  HandshakeAuth: { sender: 'browser', readByBrowsers: false, noun: 'handshake field' },
  Meta: { sender: 'gateway', readByBrowsers: true, noun: 'meta field' },
  SyncEvent: { sender: 'gateway', readByBrowsers: true, noun: '`postbode:sync` field' },
  // Client actions (contract 8): sent by browsers, validated by the gateway, read by PHP workers.
  ...Object.fromEntries(
    clientActionNames.map((name) => [
      clientActionDefinitionName(name),
      { sender: 'browser', readByBrowsers: false, noun: `client action \`${name}\` field` },
    ]),
  ),
};

/** The role of an action's payload: published by PHP, validated by the gateway, read by browsers. */
export const ACTION_ROLE: DefinitionRole = {
  sender: 'publisher',
  readByBrowsers: true,
  noun: 'payload field',
};

/** The role assumed for a definition without one: sent by publishers and read by browsers. */
export const UNDECLARED_ROLE: DefinitionRole = {
  sender: 'publisher',
  readByBrowsers: true,
  noun: 'field',
};
