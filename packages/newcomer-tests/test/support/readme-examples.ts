import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root, where the READMEs are. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A code block of a README that a test runs, named by the comment in front of it. */
export interface ReadmeExample {
  /** What the marker names: the file the block becomes (`src/store.ts`) or a step (`sh:start`). */
  target: string;
  /** The fence's info string, e.g. `ts`, `vue`, `php`, `sh`. */
  lang: string;
  code: string;
  /** 1-based line of the marker, for messages. */
  line: number;
}

const MARKER = /^<!-- example: (\S+) -->$/;

/**
 * The runnable examples of a README: every fenced code block right after a line
 * `<!-- example: <target> -->` (the comment does not show on GitHub or npm). A marker without a
 * block below it, or a target named twice, is an error: the README and the test cannot drift
 * apart silently.
 */
export function readmeExamples(readmePath: string): Map<string, ReadmeExample> {
  const file = `${REPO_ROOT}${readmePath}`;
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples = new Map<string, ReadmeExample>();
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text.trim());
    if (marker === null) return;
    const target = marker[1] ?? '';
    const fence = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[index + 1] ?? '');
    if (fence === null) {
      throw new Error(
        `${readmePath}:${index + 1}: example ${target} is not followed by a code block`,
      );
    }
    const [, indent = '', ticks = '', lang = ''] = fence;
    const end = lines.findIndex((l, i) => i > index + 1 && l.trim() === ticks);
    if (end === -1) throw new Error(`${readmePath}:${index + 2}: unclosed code block`);
    if (examples.has(target)) throw new Error(`${readmePath}: example ${target} is named twice`);
    const code = lines
      .slice(index + 2, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n');
    examples.set(target, { target, lang, code: `${code}\n`, line: index + 1 });
  });
  return examples;
}

/** The example `target` of the README; throws naming the README when it is gone. */
export function example(examples: Map<string, ReadmeExample>, target: string): ReadmeExample {
  const found = examples.get(target);
  if (found === undefined) {
    throw new Error(`the README no longer has the example ${target} (<!-- example: ${target} -->)`);
  }
  return found;
}

/** Replaces `from` (which must be there) with `to`: what only the test's machine knows. */
export function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the example no longer contains ${from}`);
  return text.replace(from, to);
}
