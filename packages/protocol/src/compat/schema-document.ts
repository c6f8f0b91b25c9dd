/** A JSON Schema node as the protocol writes them: plain JSON, keyword → value. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The protocol as one JSON Schema document: what `buildJsonSchema()` returns and what a
 * release snapshot (`schema/releases/<version>.json`) holds. `$defs` are keyed by definition
 * name (`Envelope`, `Meta`, …) and by action name (`message.created`); the root's `oneOf` has
 * one branch per action.
 */
export interface SchemaDocument {
  readonly $defs: { readonly [name: string]: JsonSchema };
  readonly oneOf?: readonly unknown[];
  readonly [keyword: string]: unknown;
}

/** A document with no definitions and no actions: what comes before the first release. */
export const EMPTY_SCHEMA_DOCUMENT: SchemaDocument = Object.freeze({ $defs: {}, oneOf: [] });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `value` has the shape of a {@link SchemaDocument} (`$defs` an object). */
export function isSchemaDocument(value: unknown): value is SchemaDocument {
  return isRecord(value) && isRecord(value.$defs) && Object.values(value.$defs).every(isRecord);
}

/**
 * The server actions of a document, sorted: the `action` constant of each branch of the
 * root's `oneOf` (`{ allOf: [Envelope, { properties: { action: { const } } }] }`).
 */
export function actionNamesOf(document: SchemaDocument): string[] {
  const names = new Set<string>();
  for (const branch of document.oneOf ?? []) {
    const parts = isRecord(branch) && Array.isArray(branch.allOf) ? branch.allOf : [];
    for (const part of parts) {
      const properties = isRecord(part) && isRecord(part.properties) ? part.properties : {};
      const action = isRecord(properties.action) ? properties.action.const : undefined;
      if (typeof action === 'string') names.add(action);
    }
  }
  return [...names].sort();
}
