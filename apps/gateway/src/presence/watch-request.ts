import { MAX_ID_LENGTH, PRESENCE_WATCH_LIMIT } from '@postbode/protocol';

/** A `postbode:watch` / `postbode:unwatch` request that passed the edge. */
export type ParsedWatchRequest =
  | { ok: true; users: string[] }
  | { ok: false; error: { code: 'INVALID_PAYLOAD' | 'TOO_LARGE'; message: string } };

/**
 * The edge of a watch or unwatch request: `{ users: string[] }`, each a user id of 1 to 128
 * characters. Duplicates are dropped. The limit per socket is checked by the watchers, who know
 * what the socket watches already.
 */
export function parseWatchRequest(value: unknown): ParsedWatchRequest {
  const invalid = (message: string): ParsedWatchRequest => ({
    ok: false,
    error: { code: 'INVALID_PAYLOAD', message },
  });
  if (typeof value !== 'object' || value === null || !('users' in value)) {
    return invalid('expected { users: string[] }');
  }
  const { users } = value;
  if (!Array.isArray(users)) return invalid('expected users to be an array of user ids');
  // Checked before the ids are looked at: an oversized array is refused without walking it.
  if (users.length > PRESENCE_WATCH_LIMIT * 4) {
    return {
      ok: false,
      error: {
        code: 'TOO_LARGE',
        message: `expected at most ${PRESENCE_WATCH_LIMIT} user ids, got ${users.length}`,
      },
    };
  }
  const unique = new Set<string>();
  for (const user of users) {
    if (typeof user !== 'string' || user.length === 0 || user.length > MAX_ID_LENGTH) {
      return invalid(`expected each user id to be a string of 1 to ${MAX_ID_LENGTH} characters`);
    }
    unique.add(user);
  }
  return { ok: true, users: [...unique] };
}
