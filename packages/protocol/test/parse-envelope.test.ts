import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ENVELOPE_BYTES } from '../src/core/defaults.js';
import { type EnvelopeError, parseEnvelope } from '../src/parse-envelope.js';
import { serverActions } from '../src/server-actions.js';

const data = serverActions['message.created'].example;
const good = { action: 'message.created', data, to: { users: ['42'] } };

function rejected(input: unknown, options?: { maxBytes?: number }): EnvelopeError {
  const result = parseEnvelope(input, options);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

describe('parseEnvelope accepts', () => {
  it('a JSON string and a parsed value alike', () => {
    const fromText = parseEnvelope(JSON.stringify(good));
    const fromValue = parseEnvelope(good);
    expect(fromText).toEqual(fromValue);
    expect(fromText).toEqual({
      ok: true,
      envelope: { action: 'message.created', data, to: { users: ['42'] }, site: 'default' },
    });
  });

  it('normalises integer user ids to strings and removes duplicates', () => {
    const result = parseEnvelope({ ...good, to: { users: [42, '42', 7] } });
    expect(result.ok && result.envelope.to).toEqual({ users: ['42', '7'] });
  });

  it('keeps site, id, ts, roles and all', () => {
    const result = parseEnvelope({
      ...good,
      to: { roles: ['admin', 'admin'], all: true, users: [] },
      site: 'nl',
      id: '01JD6X',
      ts: 1764250000123,
    });
    expect(result).toEqual({
      ok: true,
      envelope: {
        action: 'message.created',
        data,
        to: { roles: ['admin'], all: true },
        site: 'nl',
        id: '01JD6X',
        ts: 1764250000123,
      },
    });
  });

  it('narrows data by action', () => {
    const result = parseEnvelope(good);
    if (!result.ok) throw new Error('expected ok');
    const { envelope } = result;
    if (envelope.action === 'message.created') expect(envelope.data.body).toBe('hoi');
    else throw new Error('expected message.created');
  });

  it('an envelope exactly at the size limit', () => {
    const text = JSON.stringify(good);
    expect(parseEnvelope(text, { maxBytes: text.length }).ok).toBe(true);
  });
});

describe('parseEnvelope rejects, never throws', () => {
  it.each([
    ['not JSON', 'hello', 'INVALID_JSON', /not valid JSON/],
    ['truncated JSON', '{"action":', 'INVALID_JSON', /not valid JSON/],
    ['the empty string', '', 'INVALID_JSON', /not valid JSON/],
    ['JSON null', 'null', 'INVALID_ENVELOPE', /must be an object, got null/],
    ['JSON array', '[1,2]', 'INVALID_ENVELOPE', /must be an object, got an array/],
    ['JSON number', '42', 'INVALID_ENVELOPE', /must be an object, got a number/],
  ])('%s', (_label, input, code, message) => {
    const error = rejected(input);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('non-string non-object values', () => {
    expect(rejected(null).code).toBe('INVALID_ENVELOPE');
    expect(rejected(undefined).message).toMatch(/got a undefined|got an? undefined/);
    expect(rejected([good]).message).toMatch(/array/);
  });

  it.each([
    ['no action', { data, to: { users: ['1'] } }, '/action', /required/],
    ['action not a string', { ...good, action: 5 }, '/action', /string/],
    ['no data', { action: 'message.created', to: { users: ['1'] } }, '/data', /required/],
    ['no audience', { action: 'message.created', data }, '/to', /required/],
    ['audience not an object', { ...good, to: ['42'] }, '/to', /object/],
    [
      'unknown audience key',
      { ...good, to: { user: ['42'] } },
      '/to/user',
      /not an allowed property/,
    ],
    [
      'a user id that is neither string nor integer',
      { ...good, to: { users: [1.5] } },
      '/to/users/0',
      /string or integer/,
    ],
    ['an empty user id', { ...good, to: { users: [''] } }, '/to/users/0', /fewer than 1/],
    ['all not boolean', { ...good, to: { all: 'yes' } }, '/to/all', /boolean/],
    ['a site with a colon', { ...good, site: 'nl:x' }, '/site', /pattern/],
    ['an empty id', { ...good, id: '' }, '/id', /fewer than 1/],
    ['a negative ts', { ...good, ts: -5 }, '/ts', />= 0/],
    [
      'an extra top-level property',
      { ...good, too: { users: ['1'] } },
      '/too',
      /not an allowed property/,
    ],
  ])('%s: INVALID_ENVELOPE naming the path', (_label, input, path, message) => {
    const error = rejected(input);
    expect(error.code).toBe('INVALID_ENVELOPE');
    expect(error.path).toBe(path);
    expect(error.message.startsWith(path)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('an unknown action: UNKNOWN_ACTION listing the known ones', () => {
    const error = rejected({ ...good, action: 'message.craeted', site: 'nl' });
    expect(error).toMatchObject({ code: 'UNKNOWN_ACTION', action: 'message.craeted', site: 'nl' });
    expect(error.message).toMatch(
      /"message.craeted" is not a server action; expected one of .*message.created/,
    );
  });

  it.each([
    ['{}', {}],
    ['empty users', { users: [] }],
    ['empty roles and users', { users: [], roles: [] }],
    ['all: false', { all: false }],
  ])('an audience that names nobody (%s): EMPTY_AUDIENCE', (_label, to) => {
    const error = rejected({ ...good, to });
    expect(error).toMatchObject({
      code: 'EMPTY_AUDIENCE',
      path: '/to',
      action: 'message.created',
      site: 'default',
    });
  });

  it('a wrong payload: INVALID_PAYLOAD naming the field, without the payload body', () => {
    const error = rejected({ ...good, data: { ...data, body: 123, secret: 'do-not-log' } });
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(JSON.stringify(error)).not.toContain('do-not-log');
  });

  it('extra payload properties are rejected, not stripped', () => {
    const error = rejected({ ...good, data: { ...data, bdy: 'x' } });
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', path: '/data/bdy' });
  });

  it('oversized input: TOO_LARGE before parsing', () => {
    const big = JSON.stringify({ ...good, data: { ...data, body: 'x'.repeat(200) } });
    const error = rejected(big, { maxBytes: 100 });
    expect(error).toEqual({ code: 'TOO_LARGE', message: 'envelope is larger than 100 bytes' });
    // Not parsed at all: even invalid JSON over the limit is TOO_LARGE.
    expect(rejected(`{${' '.repeat(200)}`, { maxBytes: 100 }).code).toBe('TOO_LARGE');
  });

  it('counts UTF-8 bytes, not characters, against the limit', () => {
    const text = JSON.stringify({ ...good, data: { ...data, body: 'é'.repeat(60) } });
    const chars = text.length;
    expect(rejected(text, { maxBytes: chars + 10 }).code).toBe('TOO_LARGE');
    expect(parseEnvelope(text, { maxBytes: chars + 60 }).ok).toBe(true);
  });

  it('defaults to a 1 MiB limit', () => {
    expect(DEFAULT_MAX_ENVELOPE_BYTES).toBe(1024 * 1024);
    const big = JSON.stringify({ ...good, pad: 'x'.repeat(DEFAULT_MAX_ENVELOPE_BYTES) });
    expect(rejected(big).code).toBe('TOO_LARGE');
  });
});
