import { describe, expect, it } from 'vitest';
import { CodeWriter } from '../src/code-writer.js';
import { call, flatExpr, prefixed, printExpr, raw } from '../src/php-expr.js';

describe('CodeWriter', () => {
  it('writes blocks, doc comments and indentation without trailing whitespace', () => {
    const w = new CodeWriter();
    w.doc(['A class.', '', '@internal']);
    w.block('final class A', () => {
      w.line('public const X = 1;');
      w.blank();
      w.block('if ($a)', () => w.line('return;'), { sameLine: true });
    });
    w.line().line();
    expect(w.toString()).toBe(
      [
        '/**',
        ' * A class.',
        ' *',
        ' * @internal',
        ' */',
        'final class A',
        '{',
        '    public const X = 1;',
        '',
        '    if ($a) {',
        '        return;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('does not write a blank line right after an opening brace or another blank', () => {
    const w = new CodeWriter({ indent: '  ' });
    w.block('x', () => {
      w.blank();
      w.line('a');
      w.blank().blank();
      w.line('b');
    });
    expect(w.toString()).toBe('x\n{\n  a\n\n  b\n}\n');
    expect(w.indentUnit).toBe('  ');
  });
});

describe('printExpr', () => {
  const expr = call('Check::list', [
    raw("'$ids'"),
    raw('$ids'),
    prefixed('item: ', prefixed('static fn ($i) => ', call('Check::id', [raw('$i')]))),
  ]);

  it('keeps a call that fits on one line', () => {
    expect(printExpr(expr, { before: '$x = ', after: ';' })).toEqual([
      "$x = Check::list('$ids', $ids, item: static fn ($i) => Check::id($i));",
    ]);
    expect(flatExpr(expr)).toContain('Check::list(');
  });

  it('wraps one argument per line with trailing commas when it does not fit', () => {
    expect(printExpr(expr, { before: '$x = ', after: ';', width: 45 })).toEqual([
      '$x = Check::list(',
      "    '$ids',",
      '    $ids,',
      '    item: static fn ($i) => Check::id($i),',
      ');',
    ]);
  });
});
