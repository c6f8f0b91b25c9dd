#!/usr/bin/env node
// The architecture as a lint rule (run by `pnpm lint`): reads every workspace package's source
// files for the modules they import and fails, naming the file, the import and the rule, when
// one crosses a boundary of DESIGN.md ("Nothing imports up"). A module, so its test can feed it
// a fixture tree: `checkBoundaries(root)` returns the violations; run directly, it prints them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every rule: its id (printed with each violation) and what it asks. */
export const RULES = Object.freeze({
  'protocol-imports-typebox-only':
    "the protocol's src imports only typebox and its own files: no workspace package, no platform module (it is browser-safe and knows no one)",
  'protocol-core-imports-nothing':
    '@postbode/protocol/core (src/core.ts, src/core/) imports only its own files: no TypeBox, nothing else (it goes into browser bundles)',
  'gateway-and-sdk-apart': 'apps/gateway and packages/client-sdk never import each other',
  'shipped-code-without-testkit':
    'shipped code (the src/ of protocol, gateway, client-sdk, php-publisher, codegen) never imports @postbode/testkit',
  'no-relative-import-across-packages':
    "a package imports another package by its name (through its package.json exports), never by a relative path into it ('../../other/src')",
});

/** Packages that may import anything: the demo and the benchmarks. */
const FREE = new Set(['apps/demo', 'bench']);
/** Packages whose src/ ships, and so never imports the test kit. */
const SHIPPED = [
  'packages/protocol',
  'apps/gateway',
  'packages/client-sdk',
  'packages/php-publisher',
  'packages/codegen',
];
const SOURCE = /\.(?:[cm]?[jt]sx?|vue)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', 'reports', 'coverage']);

/**
 * The modules a source text imports, with their line: `import ... from 'x'`, `import 'x'`,
 * `import('x')`, `export ... from 'x'`. Reads tokens, so an import written inside a string, a
 * template or a comment does not count.
 * @param {string} text
 * @returns {{ specifier: string, line: number }[]}
 */
export function importSpecifiers(text) {
  const tokens = tokenize(text);
  const found = [];
  // A keyword, not a property: `x.from` and `import.meta` do not count.
  const isKeyword = (j, word) =>
    tokens[j]?.kind === 'word' && tokens[j].value === word && tokens[j - 1]?.value !== '.';
  tokens.forEach((token, i) => {
    if (token.kind !== 'string' || token.quote === '`') return;
    const fromClause = isKeyword(i - 1, 'from');
    const sideEffect = isKeyword(i - 1, 'import');
    const dynamic =
      tokens[i - 1]?.value === '(' && isKeyword(i - 2, 'import') && tokens[i + 1]?.value === ')';
    if (fromClause || sideEffect || dynamic)
      found.push({ specifier: token.value, line: token.line });
  });
  return found;
}

/**
 * Splits source text into words, strings and punctuation, dropping comments. Good enough for
 * import statements: regular expression literals are told from division by what precedes them.
 * @param {string} text
 */
function tokenize(text) {
  const tokens = [];
  let line = 1;
  let i = 0;
  const regexAfter = new Set([
    '(',
    ',',
    '=',
    ':',
    '[',
    '!',
    '&',
    '|',
    '?',
    '{',
    '}',
    ';',
    '+',
    '-',
    '*',
    '%',
    '<',
    '>',
    '~',
    '^',
  ]);
  const regexAfterWords = new Set([
    'return',
    'typeof',
    'case',
    'do',
    'else',
    'in',
    'of',
    'void',
    'yield',
    'await',
  ]);
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      line += text.slice(i, stop).split('\n').length - 1;
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      const startLine = line;
      let depth = 0;
      i += 1;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\') i += 2;
        else if (d === '\n') {
          line += 1;
          i += 1;
        } else if (c === '`' && d === '$' && text[i + 1] === '{') {
          depth += 1;
          i += 2;
        } else if (c === '`' && depth > 0 && d === '}') {
          depth -= 1;
          i += 1;
        } else if (d === c && depth === 0) break;
        else i += 1;
      }
      tokens.push({ kind: 'string', quote: c, value: text.slice(start + 1, i), line: startLine });
      i += 1;
    } else if (/[A-Za-z_$0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z_$0-9]/.test(text[i])) i += 1;
      tokens.push({ kind: 'word', value: text.slice(start, i), line });
    } else if (c === '/') {
      const previous = tokens.at(-1);
      const isRegex =
        previous === undefined ||
        (previous.kind === 'punct' && regexAfter.has(previous.value)) ||
        (previous.kind === 'word' && regexAfterWords.has(previous.value));
      if (isRegex) {
        let inClass = false;
        i += 1;
        while (i < text.length && text[i] !== '\n') {
          const d = text[i];
          if (d === '/' && !inClass) break;
          if (d === '[') inClass = true;
          if (d === ']') inClass = false;
          i += d === '\\' ? 2 : 1;
        }
        i += 1;
        tokens.push({ kind: 'regex', value: '', line });
      } else {
        tokens.push({ kind: 'punct', value: c, line });
        i += 1;
      }
    } else {
      tokens.push({ kind: 'punct', value: c, line });
      i += 1;
    }
  }
  return tokens;
}

/**
 * The workspace packages, from `pnpm-workspace.yaml` (`dir/*` globs and plain folders).
 * @param {string} root
 * @returns {{ dir: string, name: string }[]} `dir` relative to the root, `/`-separated
 */
export function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*-\s*['"]?([^'"#\s]+)['"]?/gm)].map((match) => match[1]);
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return dirs.flatMap((dir) => {
    try {
      const { name } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return [{ dir, name }];
    } catch {
      return [];
    }
  });
}

/** @param {string} root @param {string} dir */
function sourceFiles(root, dir) {
  const entries = readdirSync(join(root, dir), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(root, path);
    return entry.isFile() && SOURCE.test(entry.name) ? [path] : [];
  });
}

const under = (path, dir) => path === dir || path.startsWith(`${dir}/`);
const isBare = (specifier) => !specifier.startsWith('.') && !specifier.startsWith('/');
const names = (specifier, name) => specifier === name || specifier.startsWith(`${name}/`);

/**
 * The rules one import breaks.
 * @param {{ file: string, pkg: string, specifier: string, target: string | undefined, targetPkg: string | undefined }} i
 * @returns {(keyof typeof RULES)[]}
 */
function brokenRules({ file, pkg, specifier, target, targetPkg }) {
  const broken = [];
  const inCore =
    file === 'packages/protocol/src/core.ts' || under(file, 'packages/protocol/src/core');
  if (inCore) {
    const ownFile =
      target !== undefined &&
      (under(target, 'packages/protocol/src/core') ||
        /^packages\/protocol\/src\/core\.[jt]s$/.test(target));
    if (!ownFile) broken.push('protocol-core-imports-nothing');
  } else if (
    under(file, 'packages/protocol/src') &&
    isBare(specifier) &&
    !names(specifier, 'typebox')
  ) {
    broken.push('protocol-imports-typebox-only');
  }
  if (
    (pkg === 'apps/gateway' && names(specifier, '@postbode/client-sdk')) ||
    (pkg === 'packages/client-sdk' && names(specifier, '@postbode/gateway'))
  ) {
    broken.push('gateway-and-sdk-apart');
  }
  if (SHIPPED.some((dir) => under(file, `${dir}/src`)) && names(specifier, '@postbode/testkit')) {
    broken.push('shipped-code-without-testkit');
  }
  if (targetPkg !== undefined && targetPkg !== pkg)
    broken.push('no-relative-import-across-packages');
  return broken;
}

/**
 * Every import in the workspace that breaks a rule, sorted by file and line.
 * @param {string} root the repository root (it holds `pnpm-workspace.yaml`)
 * @returns {{ file: string, line: number, specifier: string, rule: keyof typeof RULES }[]}
 */
export function checkBoundaries(root) {
  const packages = workspacePackages(root).map((p) => p.dir);
  const packageOf = (path) =>
    packages.filter((dir) => under(path, dir)).sort((a, b) => b.length - a.length)[0];
  const violations = [];
  for (const pkg of packages) {
    if (FREE.has(pkg)) continue;
    for (const file of sourceFiles(root, pkg)) {
      for (const { specifier, line } of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
        const target = isBare(specifier)
          ? undefined
          : relative(root, resolve(root, dirname(file), specifier))
              .split(sep)
              .join('/');
        const targetPkg = target === undefined ? undefined : packageOf(target);
        for (const rule of brokenRules({ file, pkg, specifier, target, targetPkg })) {
          violations.push({ file, line, specifier, rule });
        }
      }
    }
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** One violation as one line: where, what, which rule and what the rule asks. */
export function formatViolation({ file, line, specifier, rule }) {
  return `${file}:${line}: imports '${specifier}', which breaks ${rule}: ${RULES[rule]}`;
}

// Run directly: `node scripts/check-boundaries.mjs [root]` (the root defaults to this repository).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const violations = checkBoundaries(root);
  for (const violation of violations) process.stderr.write(`${formatViolation(violation)}\n`);
  if (violations.length > 0) {
    process.stderr.write(
      `check-boundaries: ${violations.length} import(s) cross a package boundary\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write('check-boundaries: every import keeps to the package boundaries\n');
  }
}
