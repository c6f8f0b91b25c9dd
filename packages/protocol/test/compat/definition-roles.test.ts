import { describe, expect, it } from 'vitest';
import { DEFINITION_ROLES } from '../../src/compat/definition-roles.js';
import { actionNamesOf } from '../../src/compat/schema-document.js';
import { serverActionNames } from '../../src/server-actions.js';
import { at, currentDocument } from './documents.js';

describe('definition roles', () => {
  const document = currentDocument();

  it('every definition that is not an action has a declared sender and readers', () => {
    const actions = new Set(actionNamesOf(document));
    const undeclared = Object.keys(document.$defs).filter(
      (name) => !actions.has(name) && DEFINITION_ROLES[name] === undefined,
    );
    expect(undeclared, 'add them to DEFINITION_ROLES (src/compat/definition-roles.ts)').toEqual([]);
  });

  it('the actions of a document are the branches of its root', () => {
    expect(actionNamesOf(document)).toEqual([...serverActionNames]);
  });

  it.each(Object.entries(DEFINITION_ROLES).filter(([, role]) => role.checkedAt !== undefined))(
    '%s is inlined, unchanged, where it is checked',
    (name, role) => {
      const inlined = at(document, role.checkedAt as string);
      const { description: _own, ...definition } = document.$defs[name] as Record<string, unknown>;
      const { description: _there, ...copy } = inlined;
      expect(copy).toEqual(definition);
    },
  );
});
