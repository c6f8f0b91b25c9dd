import { describe, expect, it } from 'vitest';
import { parseClaims } from '../src/parse-claims.js';

const exp = 2_000_000_000;

describe('parseClaims', () => {
  it('normalises sub, site and roles', () => {
    expect(parseClaims({ sub: 42, exp })).toEqual({
      ok: true,
      claims: { sub: '42', site: 'default', roles: [], exp },
    });
    expect(
      parseClaims({ sub: 'u1', site: 'nl', roles: ['admin', 'admin', 'mod'], exp, extra: 1 }),
    ).toEqual({
      ok: true,
      claims: { sub: 'u1', site: 'nl', roles: ['admin', 'mod'], exp },
    });
  });

  it('normalises relayTo (contract 8) to strings, and leaves it out when absent', () => {
    expect(parseClaims({ sub: '1', exp, relayTo: [42, 'b'] })).toEqual({
      ok: true,
      claims: { sub: '1', site: 'default', roles: [], exp, relayTo: ['42', 'b'] },
    });
    expect(parseClaims({ sub: '1', exp, relayTo: [] })).toMatchObject({
      claims: { relayTo: [] },
    });
  });

  it.each([
    ['relayTo not an array', { sub: '1', exp, relayTo: '2' }, '/relayTo', /array/],
    ['no sub', { exp }, '/sub', /required/],
    ['empty sub', { sub: '', exp }, '/sub', /fewer than 1/],
    ['no exp', { sub: '1' }, '/exp', /required/],
    ['roles not an array', { sub: '1', exp, roles: 'admin' }, '/roles', /array/],
    ['a bad site', { sub: '1', exp, site: 'a b' }, '/site', /pattern/],
  ])('rejects %s, naming the claim', (_label, payload, path, message) => {
    const result = parseClaims(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.path).toBe(path);
    expect(result.message).toMatch(message);
    expect(result.message).toMatch(/^claim /);
  });
});
