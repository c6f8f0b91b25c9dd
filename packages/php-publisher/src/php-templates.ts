import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EVENTS_STREAM, MAX_AUDIENCE_ROLES, MAX_AUDIENCE_USERS } from '@postbode/protocol';
import type { PublisherModel } from './build-model.js';
import { CodeWriter } from './code-writer.js';
import { call, printExpr, raw } from './php-expr.js';
import { GENERATED_NOTICE } from './php-file.js';
import { phpString } from './php-names.js';
import type { StringBounds } from './php-type.js';
import { stringBoundArgs } from './render-check-call.js';

/**
 * The fixed PHP files of the package, as real PHP (`php -l` reads them as they are), laid out
 * as in the output: `templates/src/Check.php` becomes `src/Check.php`. Resolved from this module,
 * so the built CLI finds them in the installed package too.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** The namespace the templates are written in; the generator puts the model's in its place. */
export const TEMPLATE_NAMESPACE = 'Postbode';

/** A fixed PHP file: its path in the output and its text. */
export interface PhpTemplate {
  /** Relative to the output directory, with `/` separators, e.g. `src/Check.php`. */
  path: string;
  text: string;
}

/** Every `.php` file under `dir`, sorted by path. */
export function readPhpTemplates(dir: string = TEMPLATES_DIR): PhpTemplate[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.php'))
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { path: relative(dir, file).split(sep).join('/'), text: readFileSync(file, 'utf8') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What a template may take from the schemas (see {@link renderPhpTemplate}). */
function slots(model: PublisherModel) {
  const bounds: Record<string, StringBounds> = {
    ROLE_NAME: model.roleName,
    SITE_NAME: model.siteName,
    USER_ID: model.userId,
  };
  const values: Record<string, string> = {
    DEFAULT_CHANNEL: phpString(model.defaultChannel),
    DEFAULT_EVENTS_STREAM: phpString(DEFAULT_EVENTS_STREAM),
    DEFAULT_SITE: JSON.stringify(model.defaultSite),
    DEFAULT_STREAM: phpString(model.defaultStream),
    STREAM_META_SUFFIX: phpString(model.streamMetaSuffix),
    PRESENCE_KEY_PREFIX: phpString(model.presenceKeyPrefix),
    MAX_AUDIENCE_USERS: String(MAX_AUDIENCE_USERS),
    MAX_AUDIENCE_ROLES: String(MAX_AUDIENCE_ROLES),
  };
  return { bounds, values };
}

const BOUNDS_SLOT = /\.\.\.Schema::([A-Z_]+)/;
const VALUE_SLOT = /\bSchema::([A-Z_]+)\b/g;

/** Splits the text of arguments at the commas outside brackets and strings. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  return last === '' ? args : [...args, last];
}

/** Where the call whose arguments contain `index` opens its parenthesis. */
function openingParenthesis(line: string, index: number): number | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < index; i++) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(') open.push(i);
    else if (char === ')') open.pop();
  }
  return open.at(-1);
}

/**
 * A line with `...Schema::NAME` as the last argument of a call, with the rules written out as
 * named arguments and the call wrapped as the renderers wrap theirs (PSR-12, 120 columns).
 */
function fillBoundsSlot(line: string, bounds: Record<string, StringBounds>, where: string) {
  const slot = BOUNDS_SLOT.exec(line);
  if (slot === null) return [line];
  const rules = bounds[slot[1] as string];
  const end = slot.index + slot[0].length;
  const open = openingParenthesis(line, slot.index);
  const callee =
    open === undefined ? null : /[A-Za-z_\\][\w\\]*(?:::\w+)?$/.exec(line.slice(0, open));
  if (rules === undefined || open === undefined || callee === null || line[end] !== ')') {
    throw new TypeError(
      `${where}: '${slot[0]}' must be the last argument of a call, one of ${Object.keys(bounds)
        .map((name) => `...Schema::${name}`)
        .join(', ')}`,
    );
  }
  const indent = /^ */.exec(line)?.[0] ?? '';
  const args = splitArguments(line.slice(open + 1, slot.index)).map(raw);
  return printExpr(call(callee[0], [...args, ...stringBoundArgs(rules)]), {
    before: line.slice(indent.length, callee.index),
    after: line.slice(end + 1),
    column: indent.length,
  }).map((text) => indent + text);
}

/**
 * A template as the package ships it: the generated notice after `<?php`, the model's namespace
 * in the `namespace` and `use` lines, and the slots filled from the schemas:
 * - `...Schema::USER_ID`, `...Schema::ROLE_NAME`, `...Schema::SITE_NAME` as the last argument of
 *   a `Check::` call: the rules of that value as named arguments (`minLength: 1, maxLength: 128`);
 * - `Schema::DEFAULT_SITE` (in a comment): the gateway's default site, quoted;
 * - `Schema::DEFAULT_CHANNEL`, `Schema::DEFAULT_STREAM`, `Schema::DEFAULT_EVENTS_STREAM`,
 *   `Schema::STREAM_META_SUFFIX` (in code): the default channel, the default stream, the backend
 *   event stream and the meta hash's suffix, as PHP strings;
 * - `Schema::PRESENCE_KEY_PREFIX`: the presence keys' prefix, as a PHP string;
 * - `Schema::MAX_AUDIENCE_USERS`, `Schema::MAX_AUDIENCE_ROLES`: the gateway's audience limits,
 *   as PHP integers.
 *
 * @throws TypeError on a slot it does not know, naming the template
 */
export function renderPhpTemplate(template: PhpTemplate, model: PublisherModel): string {
  const where = `templates/${template.path}`;
  const { bounds, values } = slots(model);
  if (!template.text.startsWith('<?php\n\n')) {
    throw new TypeError(`${where} must start with '<?php' and an empty line`);
  }
  const notice = new CodeWriter().doc(GENERATED_NOTICE).toString();
  const body = template.text
    .slice('<?php\n\n'.length)
    .replace(
      new RegExp(`^(namespace|use) ${TEMPLATE_NAMESPACE}(?=[\\\\;])`, 'gm'),
      (_match, keyword: string) => `${keyword} ${model.namespace}`,
    )
    .split('\n')
    .flatMap((line) => fillBoundsSlot(line, bounds, where))
    .join('\n')
    .replace(VALUE_SLOT, (match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new TypeError(`${where}: unknown slot '${match}'`);
      return value;
    });
  return `<?php\n\n${notice}\n${body}`;
}
