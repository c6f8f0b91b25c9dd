/** Options of {@link CodeWriter}. */
export interface CodeWriterOptions {
  /**
   * One level of indentation.
   * @default '    ' (four spaces, PSR-12)
   */
  indent?: string;
}

/** The default options of {@link CodeWriter}. */
export const CODE_WRITER_DEFAULTS = { indent: '    ' } as const satisfies CodeWriterOptions;

/**
 * A small line and indentation writer, so renderers say what they emit instead of
 * concatenating strings. Lines never carry trailing whitespace; the text ends with one newline.
 *
 * @example
 * const w = new CodeWriter();
 * w.block('final class Actions', () => w.line("public const A = 'a';"));
 * w.toString(); // "final class Actions\n{\n    public const A = 'a';\n}\n"
 */
export class CodeWriter {
  readonly #indent: string;
  readonly #lines: string[] = [];
  #depth = 0;

  constructor(options: CodeWriterOptions = {}) {
    this.#indent = options.indent ?? CODE_WRITER_DEFAULTS.indent;
  }

  /** The column where the next line's text starts (the current indentation's width). */
  get column(): number {
    return this.#indent.length * this.#depth;
  }

  /** One level of indentation, as configured. */
  get indentUnit(): string {
    return this.#indent;
  }

  /** Writes one line at the current indentation (an empty call writes an empty line). */
  line(text = ''): this {
    this.#lines.push(text === '' ? '' : this.#indent.repeat(this.#depth) + text);
    return this;
  }

  /** Writes several lines (each may contain newlines) at the current indentation. */
  lines(...texts: readonly string[]): this {
    for (const text of texts) for (const part of text.split('\n')) this.line(part);
    return this;
  }

  /** Writes an empty line unless the last line is empty or opens a block. */
  blank(): this {
    const last = this.#lines.at(-1);
    if (last !== undefined && last !== '' && !last.endsWith('{')) this.#lines.push('');
    return this;
  }

  /** Runs `body` one level deeper. */
  indented(body: () => void): this {
    this.#depth++;
    try {
      body();
    } finally {
      this.#depth--;
    }
    return this;
  }

  /**
   * Writes `header`, then `{` on its own line (PSR-12 for classes and methods) or at the end
   * of the header (`sameLine`, for control structures), the body indented, and `closer`.
   */
  block(header: string, body: () => void, options: { sameLine?: boolean; closer?: string } = {}) {
    if (options.sameLine) this.line(`${header} {`);
    else this.line(header).line('{');
    this.indented(body);
    return this.line(options.closer ?? '}');
  }

  /**
   * Writes a `/** ... *\/` block; no block when there are no lines. A line longer than
   * `width` columns is wrapped at spaces, its continuation indented (PHPDoc tags continue so).
   */
  doc(lines: readonly string[], width = 120): this {
    if (lines.length === 0) return this;
    this.line('/**');
    const room = Math.max(width - this.column - 3, 40);
    for (const text of lines) {
      if (text === '') {
        this.line(' *');
        continue;
      }
      let rest = text;
      let prefix = ' * ';
      while (rest.length > room - (prefix.length - 3)) {
        const limit = room - (prefix.length - 3);
        const cut = rest.lastIndexOf(' ', limit);
        if (cut <= 0) break;
        this.line(prefix + rest.slice(0, cut));
        rest = rest.slice(cut + 1);
        prefix = ' *     ';
      }
      this.line(prefix + rest);
    }
    return this.line(' */');
  }

  /** The text written so far, ending with exactly one newline. */
  toString(): string {
    const lines = [...this.#lines];
    while (lines.at(-1) === '') lines.pop();
    return `${lines.map((text) => text.trimEnd()).join('\n')}\n`;
  }
}
