import type Type from 'typebox';

/** Options of {@link defineAction}. */
export interface DefineActionOptions<Payload extends Type.TObject = Type.TObject> {
  /** What the action means, for the docs, the JSON Schema and the PHP method's PHPDoc. */
  description: string;
  /** A valid payload: shown in docs and used by every package's tests. */
  example: Type.Static<Payload>;
}

/** A server action: its name (also the socket.io event name) and the schema of its payload. */
export interface ActionDefinition<
  Name extends string = string,
  Payload extends Type.TObject = Type.TObject,
> {
  readonly name: Name;
  readonly payload: Payload;
  readonly description: string;
  readonly example: Type.Static<Payload>;
}

/** The form an action name must have: lower-case dot-separated words, `noun.verb`. */
export const ACTION_NAME_PATTERN = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/**
 * Defines a server action. The payload must be a closed object schema
 * (`additionalProperties: false`), so that a misspelled field is an error, not lost data.
 *
 * @example
 * export const MessageRead = defineAction('message.read', Type.Object({ ... },
 *   { additionalProperties: false }), { description: 'A message was read.', example: { ... } });
 */
export function defineAction<const Name extends string, Payload extends Type.TObject>(
  name: Name,
  payload: Payload,
  options: DefineActionOptions<Payload>,
): ActionDefinition<Name, Payload> {
  if (!ACTION_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `action name '${name}' must look like 'noun.verb' (lower-case, dot-separated)`,
    );
  }
  if ((payload as { additionalProperties?: unknown }).additionalProperties !== false) {
    throw new TypeError(`payload of action '${name}' must set additionalProperties: false`);
  }
  return Object.freeze({
    name,
    payload,
    description: options.description,
    example: options.example,
  });
}
