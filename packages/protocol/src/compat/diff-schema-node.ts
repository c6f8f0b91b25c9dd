import { KIND_KEYWORD, OPEN_ENUM_KEYWORD } from '../schema-keywords.js';
import type { CompatRuleId } from './compat-rules.js';
import { branchesOf, covers, enumValues } from './schema-branches.js';
import type { JsonSchema } from './schema-document.js';

/** One difference between two versions of a schema, before it is judged for each party. */
export interface SchemaChange {
  readonly rule: CompatRuleId;
  /** JSON pointer of the changed node: in the current document, in the previous one for removals. */
  readonly path: string;
  /** Where in the value, as its reader sees it (`attachments[].name`); empty for the whole value. */
  readonly field: string;
  /** One line: what changed, e.g. `maxLength 10000 → 5000`. */
  readonly detail: string;
  /** The description of what changed (the new one; the old one for a removal). */
  readonly description?: string;
}

/** Where a node is: its JSON pointer and its field path. */
export interface NodePlace {
  readonly pointer: string;
  readonly field: readonly string[];
}

const DOC_KEYWORDS = ['description', 'examples', 'title', 'default', '$comment'];
/** Limits where a lower value is stricter. */
const UPPER_LIMITS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Limits where a higher value is stricter. */
const LOWER_LIMITS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
/** Keywords this module classifies; a change to any other is `keyword-changed`. */
const CLASSIFIED = new Set([
  ...DOC_KEYWORDS,
  ...UPPER_LIMITS,
  ...LOWER_LIMITS,
  'type',
  'anyOf',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'pattern',
  KIND_KEYWORD,
  OPEN_ENUM_KEYWORD,
]);

const isRecord = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));
const escapePointer = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The JSON pointer of `token` below `pointer`. */
export function childPointer(pointer: string, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>((path, token) => `${path}/${escapePointer(String(token))}`, pointer);
}

/** A field path as a reader writes it: `attachments[].name`. */
function fieldName(field: readonly string[]): string {
  return field.reduce(
    (name, part) => (part === '[]' || name === '' ? name + part : `${name}.${part}`),
    '',
  );
}

const isOpenEnum = (schema: JsonSchema): boolean => schema[OPEN_ENUM_KEYWORD] === true;

/** Collects the changes between two versions of one schema node. */
class NodeDiff {
  readonly changes: SchemaChange[] = [];

  add(rule: CompatRuleId, place: NodePlace, detail: string, node?: JsonSchema): void {
    const description = node?.description;
    this.changes.push({
      rule,
      path: place.pointer,
      field: fieldName(place.field),
      detail,
      ...(typeof description === 'string' ? { description } : {}),
    });
  }

  node(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    this.annotations(before, after, place);
    const previous = branchesOf(before);
    const current = branchesOf(after);
    const previousTypes = new Set(previous.map((branch) => branch.type));
    const currentTypes = new Set(current.map((branch) => branch.type));
    if (previousTypes.size !== previous.length || currentTypes.size !== current.length) {
      // Two branches of one type: which is which cannot be told, so judge the whole.
      if (!same(before.anyOf, after.anyOf)) {
        this.add('keyword-changed', place, 'anyOf with two branches of one type changed', after);
      }
      return;
    }
    const removed = [...previousTypes].filter((type) => !covers(currentTypes, type));
    const added = [...currentTypes].filter((type) => !covers(previousTypes, type));
    const types = (set: ReadonlySet<string>) => [...set].join(' | ');
    const detail = `type ${types(previousTypes)} → ${types(currentTypes)}`;
    if (removed.length > 0 && added.length > 0) this.add('type-changed', place, detail, after);
    else if (removed.length > 0) this.add('type-narrowed', place, detail, after);
    else if (added.length > 0) this.add('type-widened', place, detail, after);
    for (const branch of previous) {
      const match =
        current.find((other) => other.type === branch.type) ??
        current.find(
          (other) =>
            (other.type === 'number' && branch.type === 'integer') ||
            (other.type === 'integer' && branch.type === 'number'),
        );
      if (match === undefined) continue;
      const at =
        match.index === undefined
          ? place
          : { ...place, pointer: childPointer(place.pointer, 'anyOf', match.index) };
      // Branches of an anyOf on both sides carry annotations of their own.
      if (branch.index !== undefined && match.index !== undefined) {
        this.annotations(branch.schema, match.schema, at);
      }
      this.branch(branch.schema, match.schema, at);
    }
    if (Array.isArray(before.anyOf) || Array.isArray(after.anyOf)) {
      // The wrapper of the branches: its own keywords.
      this.unclassified(before, after, place);
    }
  }

  annotations(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    const docs = DOC_KEYWORDS.filter((keyword) => !same(before[keyword], after[keyword]));
    if (docs.length > 0) this.add('docs-changed', place, `${docs.join(', ')} changed`, after);
    if (!same(before[KIND_KEYWORD], after[KIND_KEYWORD])) {
      this.add(
        'kind-changed',
        place,
        `${KIND_KEYWORD} ${show(before[KIND_KEYWORD])} → ${show(after[KIND_KEYWORD])}`,
        after,
      );
    }
    if (isOpenEnum(before) !== isOpenEnum(after)) {
      this.add(
        isOpenEnum(after) ? 'enum-opened' : 'enum-closed',
        place,
        `${OPEN_ENUM_KEYWORD} ${show(before[OPEN_ENUM_KEYWORD])} → ${show(after[OPEN_ENUM_KEYWORD])}`,
        after,
      );
    }
  }

  branch(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    this.enums(before, after, place);
    this.limits(before, after, place);
    this.pattern(before, after, place);
    this.object(before, after, place);
    this.items(before, after, place);
    if (!Array.isArray(before.anyOf) && !Array.isArray(after.anyOf)) {
      this.unclassified(before, after, place);
    }
  }

  enums(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    const previous = enumValues(before);
    const current = enumValues(after);
    if (previous === undefined && current === undefined) return;
    if (previous === undefined) {
      this.add('type-narrowed', place, `now one of ${current?.map(show).join(', ')}`, after);
      return;
    }
    if (current === undefined) {
      this.add('type-widened', place, `no longer only ${previous.map(show).join(', ')}`, after);
      return;
    }
    const added = isOpenEnum(before) ? 'open-enum-value-added' : 'enum-value-added';
    for (const value of current) {
      if (!previous.some((old) => same(old, value))) {
        this.add(added, place, `value ${show(value)} added`, after);
      }
    }
    for (const value of previous) {
      if (!current.some((now) => same(now, value))) {
        this.add('enum-value-removed', place, `value ${show(value)} removed`, before);
      }
    }
  }

  limits(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    for (const [keywords, stricter] of [
      [UPPER_LIMITS, (old: number, now: number) => now < old],
      [LOWER_LIMITS, (old: number, now: number) => now > old],
    ] as const) {
      for (const keyword of keywords) {
        const old = before[keyword];
        const now = after[keyword];
        if (same(old, now)) continue;
        const at = { ...place, pointer: childPointer(place.pointer, keyword) };
        const detail = `${keyword} ${show(old)} → ${show(now)}`;
        if (typeof old !== 'number' && typeof now === 'number') {
          this.add('limit-tightened', at, detail, after);
        } else if (typeof old === 'number' && typeof now !== 'number') {
          this.add('limit-loosened', at, detail, after);
        } else if (typeof old === 'number' && typeof now === 'number') {
          this.add(stricter(old, now) ? 'limit-tightened' : 'limit-loosened', at, detail, after);
        } else {
          this.add('keyword-changed', at, detail, after);
        }
      }
    }
  }

  pattern(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    if (same(before.pattern, after.pattern)) return;
    const at = { ...place, pointer: childPointer(place.pointer, 'pattern') };
    const detail = `pattern ${show(before.pattern)} → ${show(after.pattern)}`;
    this.add(
      after.pattern === undefined ? 'pattern-removed' : 'pattern-changed',
      at,
      detail,
      after,
    );
  }

  object(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    const previous = isRecord(before.properties) ? before.properties : {};
    const current = isRecord(after.properties) ? after.properties : {};
    const wasRequired = new Set(Array.isArray(before.required) ? before.required : []);
    const isRequired = new Set(Array.isArray(after.required) ? after.required : []);
    const names = [...new Set([...Object.keys(previous), ...Object.keys(current)])];
    for (const name of names) {
      const old = previous[name];
      const now = current[name];
      const at: NodePlace = {
        pointer: childPointer(place.pointer, 'properties', name),
        field: [...place.field, name],
      };
      if (!isRecord(old) && isRecord(now)) {
        const required = isRequired.has(name);
        this.add(
          required ? 'property-added-required' : 'property-added-optional',
          at,
          required ? 'added, required' : 'added, optional',
          now,
        );
      } else if (isRecord(old) && !isRecord(now)) {
        const required = wasRequired.has(name);
        this.add(
          required ? 'property-removed-required' : 'property-removed-optional',
          at,
          required ? 'removed (it was required)' : 'removed (it was optional)',
          old,
        );
      } else if (isRecord(old) && isRecord(now)) {
        if (wasRequired.has(name) && !isRequired.has(name)) {
          this.add('property-made-optional', at, 'now optional', now);
        } else if (!wasRequired.has(name) && isRequired.has(name)) {
          this.add('property-made-required', at, 'now required', now);
        }
        this.node(old, now, at);
      }
    }
    const closedBefore = before.additionalProperties === false;
    const closedAfter = after.additionalProperties === false;
    const at = { ...place, pointer: childPointer(place.pointer, 'additionalProperties') };
    const detail = `additionalProperties ${show(before.additionalProperties)} → ${show(after.additionalProperties)}`;
    if (isRecord(before.additionalProperties) || isRecord(after.additionalProperties)) {
      if (!same(before.additionalProperties, after.additionalProperties)) {
        this.add('keyword-changed', at, detail, after);
      }
    } else if (!closedBefore && closedAfter) {
      this.add('object-closed', at, detail, after);
    } else if (closedBefore && !closedAfter) {
      this.add('object-opened', at, detail, after);
    }
  }

  items(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    const at: NodePlace = {
      pointer: childPointer(place.pointer, 'items'),
      field: [...place.field, '[]'],
    };
    if (isRecord(before.items) && isRecord(after.items)) this.node(before.items, after.items, at);
    else if (!same(before.items, after.items)) {
      this.add('keyword-changed', at, `items ${show(before.items)} → ${show(after.items)}`, after);
    }
  }

  unclassified(before: JsonSchema, after: JsonSchema, place: NodePlace): void {
    const keywords = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const keyword of keywords) {
      if (CLASSIFIED.has(keyword) || same(before[keyword], after[keyword])) continue;
      this.add(
        'keyword-changed',
        { ...place, pointer: childPointer(place.pointer, keyword) },
        `${keyword} ${show(before[keyword])} → ${show(after[keyword])}`,
        after,
      );
    }
  }
}

/**
 * Every difference between two versions of one schema node, each with the rule it falls
 * under: properties added, removed, made optional or required; types narrowed or widened; enum
 * values; limits; patterns; annotations. Recurses into properties, items and `anyOf` branches.
 * A keyword it does not know is reported as `keyword-changed`, so nothing passes unseen.
 */
export function diffSchemaNode(
  before: JsonSchema,
  after: JsonSchema,
  place: NodePlace = { pointer: '', field: [] },
): SchemaChange[] {
  const diff = new NodeDiff();
  diff.node(before, after, place);
  return diff.changes;
}
