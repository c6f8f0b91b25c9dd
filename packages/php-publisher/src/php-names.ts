/**
 * Every name the generator derives, and every PHP literal it writes, comes from this module
 * (STYLE habit 12): the method `messageCreated` and the constant `MESSAGE_CREATED` of the
 * action `message.created`, parameter names, class names, and escaped strings and comments.
 */

/**
 * PHP's reserved words (keywords, compile-time constants and reserved type names), lower-case.
 * Since PHP 7 most may be method names, but none may be a class name, and `class` may not be a
 * constant name; `this` may not be a parameter name.
 * @see https://www.php.net/manual/en/reserved.php
 */
export const PHP_RESERVED_WORDS: ReadonlySet<string> = new Set([
  '__class__',
  '__dir__',
  '__file__',
  '__function__',
  '__halt_compiler',
  '__line__',
  '__method__',
  '__namespace__',
  '__trait__',
  'abstract',
  'and',
  'array',
  'as',
  'bool',
  'break',
  'callable',
  'case',
  'catch',
  'class',
  'clone',
  'const',
  'continue',
  'declare',
  'default',
  'die',
  'do',
  'echo',
  'else',
  'elseif',
  'empty',
  'enddeclare',
  'endfor',
  'endforeach',
  'endif',
  'endswitch',
  'endwhile',
  'enum',
  'eval',
  'exit',
  'extends',
  'false',
  'final',
  'finally',
  'float',
  'fn',
  'for',
  'foreach',
  'function',
  'global',
  'goto',
  'if',
  'implements',
  'include',
  'include_once',
  'instanceof',
  'insteadof',
  'int',
  'interface',
  'isset',
  'iterable',
  'list',
  'match',
  'mixed',
  'namespace',
  'never',
  'new',
  'null',
  'object',
  'or',
  'parent',
  'print',
  'private',
  'protected',
  'public',
  'readonly',
  'require',
  'require_once',
  'resource',
  'return',
  'self',
  'static',
  'string',
  'switch',
  'throw',
  'trait',
  'true',
  'try',
  'unset',
  'use',
  'var',
  'void',
  'while',
  'xor',
  'yield',
]);

/** Variable names PHP forbids as parameters (`$this`) or reserves (`$GLOBALS`). */
const RESERVED_VARIABLES: ReadonlySet<string> = new Set(['this', 'globals']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` is a valid PHP identifier (ASCII only: generated code stays ASCII). */
export function isPhpIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * Splits a schema name into words: at `.`, `-`, `_`, spaces and other non-alphanumerics, and
 * at lower-to-upper case changes (`lastSeenAt` → `last`, `seen`, `at`).
 */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

const capitalize = (word: string): string =>
  word.length === 0 ? word : word[0]?.toUpperCase() + word.slice(1);

/** Joins words as camelCase, keeping the case of inner letters (`messageIds` stays). */
function camelCase(words: readonly string[]): string {
  return words
    .map((word, index) => (index === 0 ? word[0]?.toLowerCase() + word.slice(1) : capitalize(word)))
    .join('');
}

/** An identifier may not start with a digit: prefix `_` when it does. */
function guardDigit(name: string): string {
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The Publisher method of an action: camel case of its words.
 * `message.created` → `messageCreated`, `conversation.unread` → `conversationUnread`.
 */
export function phpMethodName(actionName: string): string {
  const words = splitWords(actionName);
  if (words.length === 0)
    throw new TypeError(`cannot derive a PHP method name from '${actionName}'`);
  return guardDigit(camelCase(words));
}

/**
 * The class constant of an action: upper snake case of its words.
 * `message.created` → `MESSAGE_CREATED`; a reserved word gets a trailing `_` (`CLASS_`).
 */
export function phpConstantName(actionName: string): string {
  const words = splitWords(actionName);
  if (words.length === 0) {
    throw new TypeError(`cannot derive a PHP constant name from '${actionName}'`);
  }
  const name = guardDigit(words.map((word) => word.toUpperCase()).join('_'));
  return PHP_RESERVED_WORDS.has(name.toLowerCase()) ? `${name}_` : name;
}

/**
 * A PascalCase class-like name from any number of name parts:
 * (`message.created`, `attachments`) → `MessageCreatedAttachments`.
 */
export function phpPascalName(...parts: readonly string[]): string {
  const words = parts.flatMap(splitWords);
  if (words.length === 0) throw new TypeError('cannot derive a PHP name from no words');
  const name = guardDigit(words.map(capitalize).join(''));
  return PHP_RESERVED_WORDS.has(name.toLowerCase()) ? `${name}_` : name;
}

/**
 * The private static method of a Publisher that checks a nested object, from the action and
 * the property path: (`message.created`, `attachments`, `item`) →
 * `checkMessageCreatedAttachmentsItem`.
 */
export function phpCheckerName(actionName: string, ...path: readonly string[]): string {
  return `check${phpPascalName(actionName, ...path).replace(/_$/, '')}`;
}

/**
 * The PHP parameter (variable, without `$`) of a payload property. Named as in the schema, so
 * PHP 8 named arguments read like the payload (`messageId: 'm-1'`); a name that is not a PHP
 * identifier is camel-cased, and one that PHP forbids or that `taken` holds (the audience
 * parameter `to`) gets a trailing `_`.
 */
export function phpParameterName(property: string, taken: ReadonlySet<string> = new Set()): string {
  let name = isPhpIdentifier(property) ? property : guardDigit(camelCase(splitWords(property)));
  if (name.length === 0) throw new TypeError(`cannot derive a PHP parameter from '${property}'`);
  while (RESERVED_VARIABLES.has(name.toLowerCase()) || taken.has(name)) name = `${name}_`;
  return name;
}

/**
 * Checks and normalises a PHP namespace (`Postbode`, `Acme\Realtime`; dots are accepted as
 * separators). Throws when a segment is not an identifier or is a reserved word.
 */
export function phpNamespace(namespace: string): string {
  const segments = namespace
    .replace(/^\\+|\\+$/g, '')
    .split(/[\\.]/)
    .filter((segment) => segment.length > 0);
  if (segments.length === 0) throw new TypeError('the PHP namespace must not be empty');
  for (const segment of segments) {
    if (!isPhpIdentifier(segment) || PHP_RESERVED_WORDS.has(segment.toLowerCase())) {
      throw new TypeError(
        `'${segment}' in namespace '${namespace}' is not a valid PHP namespace segment`,
      );
    }
  }
  return segments.join('\\');
}

const isControl = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};

/**
 * A PHP string literal of `value`: single-quoted (only `\` and `'` escaped) unless it holds
 * control characters, which get a double-quoted literal with escapes.
 */
export function phpString(value: string): string {
  if (![...value].some(isControl)) {
    return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
  }
  let escaped = '';
  for (const char of value) {
    switch (char) {
      case '\\':
      case '"':
      case '$':
        escaped += `\\${char}`;
        break;
      case '\n':
        escaped += '\\n';
        break;
      case '\r':
        escaped += '\\r';
        break;
      case '\t':
        escaped += '\\t';
        break;
      default:
        escaped += isControl(char)
          ? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`
          : char;
    }
  }
  return `"${escaped}"`;
}

/** A PHP literal of a JSON scalar (string, integer, float, boolean, null). */
export function phpLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return phpString(value);
  if (!Number.isFinite(value)) throw new TypeError(`${value} has no PHP literal`);
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/**
 * Text made safe for a PHPDoc block: one line, no `*\/` that would close the comment early.
 */
export function phpDocText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\*\//g, '*\\/');
}

/**
 * A key of a PHPDoc array shape (`array{url: string}`): bare when it is an identifier,
 * quoted otherwise.
 */
export function phpDocShapeKey(key: string): string {
  return isPhpIdentifier(key) ? key : phpString(key);
}

/**
 * A PHP string literal holding a PCRE pattern equivalent to a JSON Schema (ECMAScript)
 * `pattern`: delimited by `/`, with `u` (code points, as ECMAScript's `u` flag) and `D` (so `$`
 * matches only at the very end, as in ECMAScript, not before a trailing newline).
 */
export function phpRegex(pattern: string): string {
  let body = '';
  let escaped = false;
  for (const char of pattern) {
    body += char === '/' && !escaped ? '\\/' : char;
    escaped = !escaped && char === '\\';
  }
  return phpString(`/${body}/Du`);
}
