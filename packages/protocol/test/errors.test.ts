import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, PostbodeError, utf8Length } from '../src/index.js';

describe('PostbodeError', () => {
  it('carries a code, a message and a cause', () => {
    const cause = new Error('inner');
    const error = new PostbodeError('UNAUTHORIZED', 'bad signature', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('bad signature');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('PostbodeError');
  });

  it('from() keeps a PostbodeError, keeps a known code, and wraps anything else', () => {
    const original = new PostbodeError('TOO_LARGE', 'big');
    expect(PostbodeError.from(original)).toBe(original);
    const coded = Object.assign(new Error('late'), { code: 'TOKEN_EXPIRED' });
    expect(PostbodeError.from(coded).code).toBe('TOKEN_EXPIRED');
    expect(PostbodeError.from(new Error('x')).code).toBe('INTERNAL');
    expect(PostbodeError.from('text', 'UNAUTHORIZED')).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'text',
    });
  });

  it('every code has a description; isErrorCode knows exactly the table', () => {
    for (const [code, description] of Object.entries(ERROR_CODES)) {
      expect(isErrorCode(code)).toBe(true);
      expect(description.length).toBeGreaterThan(10);
    }
    expect(isErrorCode('NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('utf8Length', () => {
  it.each(['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800x'])(
    'matches the real encoding of %j',
    (text) => {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    },
  );
});
