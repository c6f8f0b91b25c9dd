/**
 * A PHP expression as a tree, so that a long call can be wrapped one argument per line
 * (PSR-12's soft limit is 120 columns) while a short one stays on one line.
 */
export type PhpExpr =
  | { kind: 'raw'; text: string }
  | { kind: 'call'; callee: string; args: readonly PhpExpr[] }
  | { kind: 'prefixed'; prefix: string; body: PhpExpr };

/** Fixed PHP text, e.g. `$body` or `maxLength: 10000`. */
export const raw = (text: string): PhpExpr => ({ kind: 'raw', text });

/** A call, e.g. `call('Check::string', [raw("'$body'"), raw('$body')])`. */
export const call = (callee: string, args: readonly PhpExpr[]): PhpExpr => ({
  kind: 'call',
  callee,
  args,
});

/** Text followed by an expression, e.g. a named argument `item: ...` or an arrow function. */
export const prefixed = (prefix: string, body: PhpExpr): PhpExpr => ({
  kind: 'prefixed',
  prefix,
  body,
});

/** The expression on one line. */
export function flatExpr(expr: PhpExpr): string {
  switch (expr.kind) {
    case 'raw':
      return expr.text;
    case 'call':
      return `${expr.callee}(${expr.args.map(flatExpr).join(', ')})`;
    case 'prefixed':
      return expr.prefix + flatExpr(expr.body);
    default:
      return expr satisfies never;
  }
}

/** Options of {@link printExpr}. */
export interface PrintExprOptions {
  /** Text before the expression on its first line, e.g. `'body' => `. */
  before?: string;
  /** Text after the expression on its last line, e.g. `,` or `;`. */
  after?: string;
  /** The column where the first line starts. */
  column?: number;
  /**
   * Longest line wanted.
   * @default 120
   */
  width?: number;
  /**
   * One level of indentation.
   * @default '    '
   */
  indent?: string;
}

/**
 * Prints `expr` as lines: on one line when it fits in `width`, otherwise each argument of the
 * outermost call that does not fit on its own line, recursively, with a trailing comma.
 * Lines after the first are indented relative to the first.
 */
export function printExpr(expr: PhpExpr, options: PrintExprOptions = {}): string[] {
  const { before = '', after = '', column = 0, width = 120, indent = '    ' } = options;
  const flat = before + flatExpr(expr) + after;
  if (column + flat.length <= width || expr.kind === 'raw') return [flat];
  if (expr.kind === 'prefixed') {
    return printExpr(expr.body, { ...options, before: before + expr.prefix });
  }
  const lines = [`${before}${expr.callee}(`];
  for (const arg of expr.args) {
    const inner = printExpr(arg, {
      after: ',',
      column: column + indent.length,
      width,
      indent,
    });
    for (const line of inner) lines.push(indent + line);
  }
  lines.push(`)${after}`);
  return lines;
}

/**
 * {@link printExpr} as text to put into a fixed template at `column`: lines after the first
 * are indented to `column`.
 */
export function printExprAt(expr: PhpExpr, column: number, options: PrintExprOptions = {}): string {
  return printExpr(expr, { ...options, column })
    .map((line, index) => (index === 0 ? line : ' '.repeat(column) + line))
    .join('\n');
}
