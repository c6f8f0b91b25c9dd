import {
  type ActionDefinition,
  DEFAULT_CHANNEL,
  DEFAULT_SITE,
  DEFAULT_STREAM,
  PRESENCE_KEY_PREFIX,
  RoleName,
  SiteName,
  serverActionNames,
  serverActions,
  UserIdInput,
} from '@postbode/protocol';
import {
  phpCheckerName,
  phpConstantName,
  phpMethodName,
  phpNamespace,
  phpParameterName,
} from './php-names.js';
import {
  type JsonSchema,
  mapObjectFields,
  type PhpField,
  type PhpValue,
  type StringBounds,
} from './php-type.js';
import { readProtocolVersion } from './protocol-version.js';
import { UnsupportedSchemaError } from './unsupported-schema-error.js';

/** The name of the Publisher's audience parameter, which payload parameters must not take. */
export const AUDIENCE_PARAMETER = 'to';

/** Members of the generated Publisher that are not actions; action methods must not clash. */
export const PUBLISHER_MEMBERS: readonly string[] = ['__construct', 'withSite', 'cursor', 'send'];

/**
 * The durable stream's key layout (contract 6): the stream the gateway reads by default
 * (`POSTBODE_STREAM`, the protocol's `DEFAULT_STREAM`), and the suffix of its meta hash
 * (`<stream>:meta`, `KEYS[2]` of the protocol's `redis/read.lua`; declared here until the
 * protocol exports it).
 */
export const STREAM_LAYOUT = {
  defaultStream: DEFAULT_STREAM,
  metaSuffix: ':meta',
} as const;

/** The `Actions` constant that lists every action; action constants must not clash with it. */
export const ALL_ACTIONS_CONSTANT = 'ALL';

/** A parameter of a Publisher method: one payload property. */
export interface ParamModel {
  /** The PHP variable name, without `$` (as in the schema unless PHP forbids it). */
  variable: string;
  field: PhpField;
}

/** A nested object of a payload, checked by a private static method of the Publisher. */
export interface ShapeModel {
  /** The checker method, e.g. `checkMessageCreatedAttachmentsItem`. */
  method: string;
  value: Extract<PhpValue, { kind: 'object' }>;
}

/** One server action, as the Publisher and the Actions class show it. */
export interface ActionModel {
  /** The action name, e.g. `message.created`. */
  name: string;
  /** The `Actions` constant, e.g. `MESSAGE_CREATED`. */
  constant: string;
  /** The Publisher method, e.g. `messageCreated`. */
  method: string;
  description: string;
  /** Required parameters first, then optional ones, each group in schema order. */
  params: readonly ParamModel[];
  /** Checkers of nested objects, in the order they appear. */
  shapes: readonly ShapeModel[];
}

/** Everything the renderers need: a generator phase boundary (registry → model → text). */
export interface PublisherModel {
  /** The PHP namespace, e.g. `Postbode` or `Acme\Realtime`. */
  namespace: string;
  /** The protocol's version (`@postbode/protocol`), which the composer package carries. */
  protocolVersion: string;
  /** Sorted by action name. */
  actions: readonly ActionModel[];
  /** The channel the live-only pub/sub transports publish on by default (`POSTBODE_CHANNEL`). */
  defaultChannel: string;
  /** The stream the durable transports append to by default (`POSTBODE_STREAM`). */
  defaultStream: string;
  /** What the stream's name is followed by to name its meta hash (`:meta`). */
  streamMetaSuffix: string;
  /** The site a message without one goes to (the gateway's default). */
  defaultSite: string;
  /** The prefix of a site's presence keys (contract 7): `<prefix>:<site>:online`. */
  presenceKeyPrefix: string;
  /** Rules of a site name (`SiteName` in the protocol). */
  siteName: StringBounds;
  /** Rules of a role name (`RoleName`). */
  roleName: StringBounds;
  /** Rules of a user id once it is a string (`UserIdInput`). */
  userId: StringBounds;
}

/** Options of {@link buildModel}. */
export interface BuildModelOptions {
  /**
   * The PHP namespace of the generated classes.
   * @default 'Postbode'
   */
  namespace?: string;
  /**
   * The actions to generate methods for.
   * @default every action of the protocol's `serverActions`, sorted by name
   */
  actions?: readonly ActionDefinition[];
}

/** The default options of {@link buildModel}. */
export const BUILD_MODEL_DEFAULTS = {
  namespace: 'Postbode',
} as const satisfies BuildModelOptions;

/** The plain JSON Schema of a TypeBox value (TypeBox adds non-JSON markers). */
const toJson = (schema: unknown): JsonSchema => JSON.parse(JSON.stringify(schema)) as JsonSchema;

function bounds(schema: JsonSchema): StringBounds {
  const result: StringBounds = {};
  if (typeof schema.minLength === 'number') result.minLength = schema.minLength;
  if (typeof schema.maxLength === 'number') result.maxLength = schema.maxLength;
  if (typeof schema.pattern === 'string') result.pattern = schema.pattern;
  return result;
}

/** The string branch of `UserIdInput` (a string, or an integer normalised to one). */
function userIdBounds(): StringBounds {
  const branches = toJson(UserIdInput).anyOf;
  const text = Array.isArray(branches)
    ? (branches as JsonSchema[]).find((branch) => branch.type === 'string')
    : undefined;
  if (text === undefined) throw new TypeError('UserIdInput has no string branch');
  return bounds(text);
}

function collectShapes(actionName: string, value: PhpValue, path: string[], into: ShapeModel[]) {
  if (value.kind === 'array') collectShapes(actionName, value.items, [...path, 'item'], into);
  if (value.kind === 'object') {
    into.push({ method: phpCheckerName(actionName, ...path), value });
    for (const field of value.fields) {
      collectShapes(actionName, field.value, [...path, field.property], into);
    }
  }
}

function buildAction(action: ActionDefinition): ActionModel {
  const payload = toJson(action.payload);
  if (payload.type !== 'object') {
    throw new UnsupportedSchemaError(action.name, 'a payload must be an object schema');
  }
  const fields = mapObjectFields(payload, action.name);
  const taken = new Set([AUDIENCE_PARAMETER]);
  const params = fields.map((field): ParamModel => {
    const variable = phpParameterName(field.property, taken);
    taken.add(variable);
    return { variable, field };
  });
  const shapes: ShapeModel[] = [];
  for (const field of fields) collectShapes(action.name, field.value, [field.property], shapes);
  return {
    name: action.name,
    constant: phpConstantName(action.name),
    method: phpMethodName(action.name),
    description: action.description,
    params,
    shapes,
  };
}

/** Throws when two generated names would be the same PHP name (PHP compares them ignoring case). */
function assertUnique(kind: string, names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) {
      throw new TypeError(`two ${kind} would both be named '${name}' ('${other}'); rename one`);
    }
    seen.set(name.toLowerCase(), name);
  }
}

/**
 * Phase one of the generator: reads the action registry and the protocol's primitive rules
 * into a {@link PublisherModel}, with every PHP name derived. Throws on a schema the PHP cannot
 * check exactly, and on a name clash.
 *
 * @example
 * const model = buildModel({ namespace: 'Acme\\Realtime' });
 * model.actions[0]?.method; // 'conversationUnread'
 */
export function buildModel(options: BuildModelOptions = {}): PublisherModel {
  const namespace = phpNamespace(options.namespace ?? BUILD_MODEL_DEFAULTS.namespace);
  const definitions =
    options.actions ?? serverActionNames.map((name): ActionDefinition => serverActions[name]);
  const actions = [...definitions]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(buildAction);
  assertUnique(
    'actions',
    actions.map((action) => action.name),
  );
  assertUnique('Actions constants', [
    ALL_ACTIONS_CONSTANT,
    ...actions.map((action) => action.constant),
  ]);
  assertUnique('Publisher methods', [
    ...PUBLISHER_MEMBERS,
    ...actions.flatMap((action) => [action.method, ...action.shapes.map((s) => s.method)]),
  ]);
  return {
    namespace,
    protocolVersion: readProtocolVersion(),
    actions,
    defaultChannel: DEFAULT_CHANNEL,
    defaultStream: STREAM_LAYOUT.defaultStream,
    streamMetaSuffix: STREAM_LAYOUT.metaSuffix,
    defaultSite: DEFAULT_SITE,
    presenceKeyPrefix: PRESENCE_KEY_PREFIX,
    siteName: bounds(toJson(SiteName)),
    roleName: bounds(toJson(RoleName)),
    userId: userIdBounds(),
  };
}
