import type { NormalizedClaims } from './claims.js';
import { Claims } from './claims.js';
import { DEFAULT_SITE } from './core/defaults.js';
import { echoText } from './echo-text.js';
import { firstSchemaProblem } from './first-schema-problem.js';
import { getClaimsValidator } from './validators.js';

/** What {@link parseClaims} returns: normalised claims, or the first problem. */
export type ParseClaimsResult =
  | { ok: true; claims: NormalizedClaims }
  | { ok: false; path: string; message: string };

/**
 * Checks a verified token's payload against {@link Claims} and normalises it (`sub` to a
 * string, `site` defaulted to `"default"`, `roles` to an array). Never throws. The signature,
 * `exp`, `aud` and `iss` are the verifier's job; this checks the shape. An integer `sub` beyond
 * ±(2^53 - 1) is refused: JSON parsing has already rounded it, so it would name another user.
 */
export function parseClaims(payload: unknown): ParseClaimsResult {
  const validator = getClaimsValidator();
  if (!validator.Check(payload)) {
    const problem = firstSchemaProblem(Claims, payload);
    const path = echoText(problem.path);
    return { ok: false, path, message: `claim ${path} ${problem.message}` };
  }
  return {
    ok: true,
    claims: {
      sub: String(payload.sub),
      site: payload.site ?? DEFAULT_SITE,
      roles: payload.roles === undefined ? [] : [...new Set(payload.roles)],
      exp: payload.exp,
      ...(payload.relayTo === undefined ? {} : { relayTo: payload.relayTo.map(String) }),
    },
  };
}
