import Type from 'typebox';
import { MAX_AUDIENCE_ROLES } from './audience-limits.js';
import { MAX_ID_LENGTH, RoleName, SafeIntegerId, SiteName } from './primitives.js';

/**
 * The claims of a Postbode token (a JWT the PHP backend signs). Only `sub` and `exp` are
 * required; other claims are allowed and ignored. `sub` may be an integer (normalised to a
 * string), since many PHP backends sign their numeric user ids as they are, within ±(2^53 - 1):
 * larger integers cannot pass through JSON exactly and must be signed as strings.
 */
export const Claims = Type.Object(
  {
    sub: Type.Union([Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }), SafeIntegerId], {
      description: 'The user id: a string, or an integer within ±(2^53 - 1) (larger: a string).',
    }),
    site: Type.Optional(SiteName),
    roles: Type.Optional(
      Type.Array(RoleName, { maxItems: MAX_AUDIENCE_ROLES, description: "The user's roles." }),
    ),
    relayTo: Type.Optional(
      Type.Array(
        Type.Union([Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }), SafeIntegerId]),
        {
          maxItems: 1000,
          description:
            'The users of the same site this user may send relayed client actions to (`typing`, contract 8). Absent: any user of the site; empty: nobody.',
        },
      ),
    ),
    exp: Type.Number({ description: 'Expiry, seconds since the epoch.' }),
    iat: Type.Optional(Type.Number({ description: 'Issued at, seconds since the epoch.' })),
    nbf: Type.Optional(Type.Number({ description: 'Not before, seconds since the epoch.' })),
    aud: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'Audience; checked when the gateway is configured with one.',
      }),
    ),
    iss: Type.Optional(
      Type.String({ description: 'Issuer; checked when the gateway is configured with one.' }),
    ),
  },
  { description: 'The claims of a Postbode token.' },
);

/** The claims of a Postbode token, as signed. */
export type Claims = Type.Static<typeof Claims>;

/** Claims after {@link parseClaims}: `sub` a string, `site` and `roles` defaulted. */
export interface NormalizedClaims {
  sub: string;
  site: string;
  roles: string[];
  /**
   * Who this user may relay client actions to (contract 8), as strings; `undefined`: any user
   * of the same site.
   */
  relayTo?: readonly string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
}
