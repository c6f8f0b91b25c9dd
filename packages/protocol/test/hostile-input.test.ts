import { describe, expect, it } from 'vitest';
import { MAX_AUDIENCE_USERS } from '../src/audience-limits.js';
import { MAX_ECHO_LENGTH } from '../src/echo-text.js';
import { findJsonSyntaxProblem } from '../src/json-syntax-problem.js';
import { parseClaims } from '../src/parse-claims.js';
import { type EnvelopeError, parseEnvelope } from '../src/parse-envelope.js';
import { serverActions } from '../src/server-actions.js';

// Issue 16: what a hostile or buggy input can make the parser say, and spend.

const data = serverActions['message.created'].example;
const good = { action: 'message.created', data, to: { users: ['42'] } };
const exp = Math.floor(Date.now() / 1000) + 60;

function rejected(input: unknown): EnvelopeError {
  const result = parseEnvelope(input, { maxBytes: Number.POSITIVE_INFINITY });
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

describe('integer ids beyond 2^53 (they merge users once JSON has rounded them)', () => {
  it('an audience with 9007199254740993 is rejected, naming the id and the fix', () => {
    const error = rejected(
      '{"action":"message.created","data":{},"to":{"users":["1",9007199254740993]}}',
    );
    expect(error.code).toBe('INVALID_ENVELOPE');
    expect(error.path).toBe('/to/users/1');
    expect(error.message).toMatch(/beyond ±\(2\^53 - 1\).*send large ids as strings/);
  });

  it('the largest safe integer and large ids as strings still pass', () => {
    const text = `{"action":"message.created","data":${JSON.stringify(data)},"to":{"users":[9007199254740991,"9007199254740993"]}}`;
    const result = parseEnvelope(text);
    expect(result.ok && result.envelope.to.users).toEqual(['9007199254740991', '9007199254740993']);
  });

  it('a token whose integer sub is 9007199254740993 is refused; as a string it is kept exact', () => {
    const claims = parseClaims(JSON.parse(`{"sub":9007199254740993,"exp":${exp}}`));
    expect(claims).toMatchObject({ ok: false, path: '/sub' });
    expect(!claims.ok && claims.message).toMatch(/send large ids as strings/);
    expect(parseClaims({ sub: '9007199254740993', exp })).toMatchObject({
      ok: true,
      claims: { sub: '9007199254740993' },
    });
    expect(parseClaims({ sub: 9007199254740991, exp })).toMatchObject({
      ok: true,
      claims: { sub: '9007199254740991' },
    });
  });
});

describe('JSON errors by position and kind, never quoting the input', () => {
  it.each([
    ['secret-word', 'unexpected character', 0],
    ['{"body":"secret"', 'unexpected end of input', 16],
    ['{"body":"secret" 1}', "expected ',' or '}'", 17],
    ['{"body":"secret', 'unterminated string', 8],
    ['{"body":"secret"} trailing', 'unexpected text after the JSON value', 18],
    ['{"a":tru}', 'unexpected character', 5],
    ['', 'unexpected end of input', 0],
    ['[1,2', 'unexpected end of input', 4],
    ['{"a":"\\x"}', 'invalid escape in a string', 6],
    ['{"a":-}', 'invalid number', 5],
  ])('%j: %s at %i', (text, kind, position) => {
    expect(findJsonSyntaxProblem(text)).toEqual({ position, kind });
    const error = rejected(text);
    expect(error).toEqual({
      code: 'INVALID_JSON',
      path: '/',
      message: `envelope is not valid JSON: ${kind} at position ${position}`,
    });
    expect(error.message).not.toMatch(/secret|trailing|tru\b/);
  });

  it('valid JSON has no problem; deep nesting does not overflow the stack', () => {
    expect(findJsonSyntaxProblem('{"a":[1,{"b":null}],"c":"\\u00e9"}')).toBeUndefined();
    expect(findJsonSyntaxProblem('['.repeat(500_000))).toEqual({
      position: 500_000,
      kind: 'unexpected end of input',
    });
  });
});

describe('attacker-controlled strings are cut before they are repeated', () => {
  it('a long action, site and unknown property name: at most MAX_ECHO_LENGTH characters each', () => {
    const long = 'A'.repeat(100_000);
    const error = rejected({ ...good, action: long, site: long, [long]: 1 });
    expect(error.code).toBe('INVALID_ENVELOPE');
    expect(error.action).toBe(`${'A'.repeat(MAX_ECHO_LENGTH)}…`);
    expect(error.site).toBe(`${'A'.repeat(MAX_ECHO_LENGTH)}…`);
    expect(JSON.stringify(error).length).toBeLessThan(1000);
  });

  it('an unknown property with a long name', () => {
    const error = rejected({ ...good, ['x'.repeat(100_000)]: 1 });
    expect(error.path).toBe(`/${'x'.repeat(MAX_ECHO_LENGTH - 1)}…`);
    expect(error.message).toMatch(/is not an allowed property/);
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('the first error, without computing all of them', () => {
  it(`an audience of more than ${MAX_AUDIENCE_USERS} users is rejected by its length`, () => {
    const error = rejected({ ...good, to: { users: Array.from({ length: 200_000 }, () => ({})) } });
    expect(error).toMatchObject({
      code: 'INVALID_ENVELOPE',
      path: '/to/users',
      message: `/to/users must have at most ${MAX_AUDIENCE_USERS} items`,
    });
  });

  it('the first invalid id of a long audience is the one reported', () => {
    const users: unknown[] = Array.from({ length: MAX_AUDIENCE_USERS }, (_, i) => String(i));
    users[7000] = {};
    users[9000] = [];
    expect(rejected({ ...good, to: { users } })).toMatchObject({ path: '/to/users/7000' });
  });

  it('the first invalid item of a long payload array', () => {
    const messageIds: unknown[] = Array.from({ length: 900 }, (_, i) => `m-${i}`);
    messageIds[5] = 5;
    messageIds[6] = 6;
    const error = rejected({
      action: 'message.delivered',
      data: { ...serverActions['message.delivered'].example, messageIds },
      to: { users: ['1'] },
    });
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', path: '/data/messageIds/5' });
  });
});
