/**
 * Where each handshake's token comes from: the static `token` for the first connection (and for
 * every one when there is no `getToken`), `getToken()` for every other. A `getToken` that
 * throws instead of rejecting still gives a rejected promise.
 */
export function tokenSource(
  token: string | undefined,
  getToken: (() => Promise<string>) | undefined,
): () => Promise<string> {
  let staticTokenPending = typeof token === 'string';
  return () => {
    if (staticTokenPending || getToken === undefined) {
      staticTokenPending = getToken === undefined;
      return Promise.resolve(token ?? '');
    }
    return Promise.resolve().then(getToken);
  };
}
