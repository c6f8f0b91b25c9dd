/** Where a text stops being JSON, and how: safe to log (it never quotes the text). */
export interface JsonSyntaxProblem {
  /** Offset of the problem, in UTF-16 code units from the start (0-based). */
  position: number;
  /** What was wrong there, e.g. `unexpected character`, `unterminated string`. */
  kind: string;
}

/** Thrown inside the scanner; never escapes it. */
class Stop {
  constructor(readonly problem: JsonSyntaxProblem) {}
}

const ARRAY = 1;
const OBJECT = 2;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Finds the first syntax error of a text that `JSON.parse` refused, by position and kind.
 * Node's own message quotes the start of the input (payload text that must not reach a log or
 * an answer, issue 16); this describes the problem without repeating any of it. Iterative
 * (deep nesting cannot overflow the stack), linear, and run only on input already refused.
 * Returns undefined when it finds no problem.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const n = text.length;
  let i = 0;
  const stop = (kind: string, at = i): never => {
    throw new Stop({ position: at, kind: at >= n ? 'unexpected end of input' : kind });
  };
  const space = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
      else break;
    }
  };
  const string = (): void => {
    const start = i;
    i += 1;
    for (;;) {
      if (i >= n) stop('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return;
      }
      if (c < 0x20) stop('control character in a string');
      if (c === 0x5c) {
        const escaped = text[i + 1] ?? '';
        if (ESCAPES.has(escaped)) i += 2;
        else if (escaped === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) stop('invalid escape in a string');
          i += 6;
        } else stop('invalid escape in a string');
      } else i += 1;
    }
  };
  const key = (): void => {
    space();
    if (text.charCodeAt(i) !== 0x22) stop('expected a property name');
    string();
    space();
    if (text.charCodeAt(i) !== 0x3a) stop("expected ':' after a property name");
    i += 1;
  };
  try {
    const stack: number[] = [];
    let expectValue = true;
    for (;;) {
      space();
      if (expectValue) {
        const c = text[i];
        if (c === '{' || c === '[') {
          i += 1;
          space();
          if (text[i] === (c === '{' ? '}' : ']')) {
            i += 1;
            expectValue = false;
            continue;
          }
          stack.push(c === '{' ? OBJECT : ARRAY);
          if (c === '{') key();
          continue;
        }
        if (c === '"') string();
        else if (c === 't' || c === 'f' || c === 'n') {
          const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
          if (!text.startsWith(word, i)) stop('unexpected character');
          i += word.length;
        } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) stop('invalid number');
          i = NUMBER.lastIndex;
        } else stop('unexpected character');
        expectValue = false;
        continue;
      }
      const top = stack.at(-1);
      if (top === undefined) {
        if (i < n) stop('unexpected text after the JSON value');
        return undefined;
      }
      const c = text[i];
      if (c === ',') {
        i += 1;
        if (top === OBJECT) key();
        expectValue = true;
      } else if (c === (top === OBJECT ? '}' : ']')) {
        i += 1;
        stack.pop();
      } else stop(top === OBJECT ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}
