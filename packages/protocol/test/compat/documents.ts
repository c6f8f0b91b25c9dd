import type { SchemaDocument } from '../../src/compat/schema-document.js';
import { buildJsonSchema } from '../../src/json-schema.js';

/** A JSON object of a document, to edit in place. */
export type Node = Record<string, unknown>;

/** A fresh copy of the working tree's JSON Schema, to change. */
export function currentDocument(): SchemaDocument {
  return structuredClone(buildJsonSchema()) as unknown as SchemaDocument;
}

/** The object at a JSON pointer of a document (`/$defs/Meta/properties/offset`). */
export function at(document: SchemaDocument, pointer: string): Node {
  let value: unknown = document;
  for (const token of pointer.split('/').slice(1)) {
    value = (value as Node)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (typeof value !== 'object' || value === null) throw new Error(`nothing at ${pointer}`);
  }
  return value as Node;
}

/** The `required` list of the object schema at `pointer`, to edit in place. */
export function requiredOf(document: SchemaDocument, pointer: string): string[] {
  const node = at(document, pointer);
  node.required ??= [];
  return node.required as string[];
}

/** A copy of the working tree's schemas with `edit` applied. */
export function changed(edit: (document: SchemaDocument) => void): SchemaDocument {
  const document = currentDocument();
  edit(document);
  return document;
}

/** Adds an action named `name` with the payload schema `payload` (registry and root `oneOf`). */
export function addAction(document: SchemaDocument, name: string, payload: Node): void {
  (document.$defs as Record<string, unknown>)[name] = payload;
  (document.oneOf as unknown[]).push({
    allOf: [
      { $ref: '#/$defs/Envelope' },
      { properties: { action: { const: name }, data: { $ref: `#/$defs/${name}` } } },
    ],
  });
}

/** Removes the action `name` (registry and root `oneOf`). */
export function removeAction(document: SchemaDocument, name: string): void {
  delete (document.$defs as Record<string, unknown>)[name];
  const branches = document.oneOf as unknown[];
  const index = branches.findIndex((branch) => JSON.stringify(branch).includes(`"${name}"`));
  branches.splice(index, 1);
}

/** A small closed payload, as `defineAction` makes them. */
export const EDITED_PAYLOAD: Node = {
  type: 'object',
  required: ['messageId', 'body'],
  properties: {
    messageId: { type: 'string', minLength: 1, maxLength: 128, 'x-postbode-kind': 'id' },
    body: { type: 'string', maxLength: 10000 },
  },
  additionalProperties: false,
  description: 'A message was edited.',
  examples: [{ messageId: 'm-1', body: 'hoi!' }],
};
