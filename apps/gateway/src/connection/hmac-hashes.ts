/**
 * The hash of each HMAC algorithm the gateway verifies, as each crypto API names it: WebCrypto
 * for jose's key (token-verifier.ts), Node's `createHmac` for the fast path (hmac-fast-path.ts).
 * One table, so the two always know the same algorithms.
 */
export const HMAC_HASHES: Readonly<
  Record<string, { readonly webCrypto: string; readonly node: string }>
> = {
  HS256: { webCrypto: 'SHA-256', node: 'sha256' },
  HS384: { webCrypto: 'SHA-384', node: 'sha384' },
  HS512: { webCrypto: 'SHA-512', node: 'sha512' },
};
