import type { JsonSchema } from './schema-document.js';

// The types a schema node accepts, for comparing two versions of it: a node is a set of
// branches (one per `anyOf` member, or per `type`), each a JSON type with what else it requires;
// `integer` is a part of `number`, and a node without a type accepts `any`.

const isRecord = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One type a node accepts, and the schema that says what else it requires. */
export interface Branch {
  readonly type: string;
  readonly schema: JsonSchema;
  /** Its index in the node's `anyOf`, when it is a branch of one. */
  readonly index?: number;
}

/** The values an enum-like schema allows (`enum`, `const`, `anyOf` of consts), if it is one. */
export function enumValues(schema: JsonSchema): readonly unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) {
    const branches = schema.anyOf;
    if (branches.every((branch) => isRecord(branch) && 'const' in branch)) {
      return branches.map((branch) => (branch as JsonSchema).const);
    }
  }
  return undefined;
}

/** The JSON type of a value, as a schema names it (`integer` for whole numbers). */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The type of a schema without `anyOf`: its `type`, the type of its enum values, or `any`. */
function typeOf(schema: JsonSchema): string {
  if (typeof schema.type === 'string') return schema.type;
  const values = enumValues(schema);
  if (values !== undefined) {
    const types = new Set(values.map(jsonType));
    if (types.size === 1) return [...types][0] as string;
    if ([...types].every((t) => t === 'integer' || t === 'number')) return 'number';
    return `mixed(${[...types].sort().join('|')})`;
  }
  return 'any';
}

/** The types a node accepts: one branch per `anyOf` member (unless they are consts) or `type`. */
export function branchesOf(node: JsonSchema): Branch[] {
  if (Array.isArray(node.anyOf) && enumValues(node) === undefined) {
    return node.anyOf.flatMap((member, index): Branch[] =>
      isRecord(member) ? [{ type: typeOf(member), schema: member, index }] : [],
    );
  }
  if (Array.isArray(node.type)) {
    return node.type.map((type): Branch => ({ type: String(type), schema: node }));
  }
  return [{ type: typeOf(node), schema: node }];
}

/** True when a value of type `type` is accepted by one of `types`. */
export function covers(types: ReadonlySet<string>, type: string): boolean {
  return types.has(type) || types.has('any') || (type === 'integer' && types.has('number'));
}
