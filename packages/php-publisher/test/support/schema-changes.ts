import { actionNamesOf, type SchemaDocument } from '@postbode/protocol/compat';

// The changes the mixed-versions test makes to a copy of a release's schemas: the newer
// protocol an upgraded gateway runs while backends still run the PHP of the release.

type Json = Record<string, unknown>;

/** One change to a copy of a schema document. */
export interface SchemaEdit {
  readonly name: string;
  apply(schema: SchemaDocument): void;
}

const definitions = (schema: SchemaDocument) => schema.$defs as Record<string, Json>;

/** The payload schemas of every action of the document. */
function payloads(schema: SchemaDocument): Json[] {
  return actionNamesOf(schema).map((name) => definitions(schema)[name] as Json);
}

/** Calls `visit` on a schema node and every node below it (properties, items, anyOf). */
function walk(node: Json, visit: (node: Json) => void): void {
  visit(node);
  const properties = (node.properties ?? {}) as Record<string, Json>;
  for (const child of Object.values(properties)) walk(child, visit);
  if (typeof node.items === 'object' && node.items !== null) walk(node.items as Json, visit);
  for (const branch of (node.anyOf ?? []) as Json[]) walk(branch, visit);
}

/** Adds an action (its payload, and its branch of the root `oneOf`). */
function addAction(schema: SchemaDocument, name: string, payload: Json): void {
  definitions(schema)[name] = payload;
  (schema.oneOf as unknown[]).push({
    allOf: [
      { $ref: '#/$defs/Envelope' },
      { properties: { action: { const: name }, data: { $ref: `#/$defs/${name}` } } },
    ],
  });
}

/** A new server action, as a later release might add it. */
export const EDITED_ACTION = 'message.edited';

/**
 * Changes `pnpm protocol:check` calls safe for every party: a gateway running them must still
 * take everything the PHP of the release publishes. (Closing or opening a payload is not among
 * them: `defineAction` requires every payload closed.)
 */
export const SAFE_CHANGES: readonly SchemaEdit[] = [
  {
    name: `an action added (${EDITED_ACTION})`,
    apply: (schema) =>
      addAction(schema, EDITED_ACTION, {
        type: 'object',
        required: ['messageId', 'body', 'editedAt'],
        properties: {
          messageId: { type: 'string', minLength: 1, maxLength: 128, 'x-postbode-kind': 'id' },
          body: { type: 'string', maxLength: 10000 },
          editedAt: { type: 'integer', minimum: 0, 'x-postbode-kind': 'timestamp' },
        },
        additionalProperties: false,
        description: 'A message was edited.',
        examples: [{ messageId: 'm-1', body: 'hoi!', editedAt: 1764250009000 }],
      }),
  },
  {
    name: 'an optional field added to every payload',
    apply: (schema) => {
      for (const payload of payloads(schema)) {
        (payload.properties as Json).traceId = {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          description: 'Where the message came from, for debugging.',
        };
      }
    },
  },
  {
    name: 'an optional field added to the nested objects of every payload',
    apply: (schema) => {
      for (const payload of payloads(schema)) {
        for (const item of Object.values(payload.properties as Record<string, Json>)) {
          const nested = item.items as Json | undefined;
          if (nested?.type === 'object') {
            (nested.properties as Json).checksum = { type: 'string', maxLength: 128 };
          }
        }
      }
    },
  },
  {
    name: 'every maximum of every payload doubled (maxLength, maxItems, maximum)',
    apply: (schema) => {
      for (const payload of payloads(schema)) {
        walk(payload, (node) => {
          for (const keyword of ['maxLength', 'maxItems', 'maximum']) {
            if (typeof node[keyword] === 'number') node[keyword] = (node[keyword] as number) * 2;
          }
        });
      }
    },
  },
  {
    name: 'every description of every payload reworded',
    apply: (schema) => {
      for (const payload of payloads(schema)) {
        walk(payload, (node) => {
          if (typeof node.description === 'string') node.description += ' (Reworded.)';
        });
      }
    },
  },
];

/** The field the control adds, required, to the first action of a release. */
export const REQUIRED_FIELD = 'deviceId';

/** The control: a breaking change, a new required field in the first action's payload. */
export const BREAKING_CONTROL: SchemaEdit = {
  name: `a required field (${REQUIRED_FIELD}) added to the first action`,
  apply: (schema) => {
    const payload = payloads(schema)[0] as Json;
    (payload.properties as Json)[REQUIRED_FIELD] = { type: 'string', minLength: 1 };
    (payload.required as string[]).push(REQUIRED_FIELD);
  },
};

/** A copy of `schema` with `edits` applied in order. */
export function withEdits(schema: SchemaDocument, edits: readonly SchemaEdit[]): SchemaDocument {
  const copy = structuredClone(schema);
  for (const edit of edits) edit.apply(copy);
  return copy;
}
