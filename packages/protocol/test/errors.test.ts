import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../src/core/error-codes.js';
import { PostbodeError } from '../src/core/postbode-error.js';
import { utf8Length } from '../src/utf8-length.js';

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

  it('from() on a subclass wraps into the subclass, keeping the code', () => {
    class ClientError extends PostbodeError {}
    const original = new PostbodeError('RATE_LIMITED', 'slow down');
    const wrapped = ClientError.from(original);
    expect(wrapped).toBeInstanceOf(ClientError);
    expect(wrapped).toMatchObject({ code: 'RATE_LIMITED', message: 'slow down', cause: original });
    expect(ClientError.from(wrapped)).toBe(wrapped);
    expect(PostbodeError.from(wrapped)).toBe(wrapped);
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
