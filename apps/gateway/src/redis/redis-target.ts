/** One `host:port` of a Sentinel or Cluster seed list. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * Where the gateway's Redis is, as `POSTBODE_REDIS_URL` names it:
 * - `redis://` / `rediss://`: one Redis (ioredis's own URL form);
 * - `redis+sentinel://[user:password@]host:port[,host:port...]/<master name>[/<db>]`: the
 *   master that these Sentinels name (`?sentinelPassword=...` when the Sentinels want one; the
 *   user and password are the master's);
 * - `redis+cluster://[user:password@]host:port[,host:port...]`: a Redis Cluster, seeded by
 *   these nodes.
 * `rediss+sentinel://` and `rediss+cluster://` connect to the data nodes with TLS.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'sentinel';
      sentinels: RedisAddress[];
      /** The master's name in the Sentinels' configuration. */
      name: string;
      db: number;
      username?: string;
      password?: string;
      sentinelPassword?: string;
      tls: boolean;
    }
  | {
      kind: 'cluster';
      nodes: RedisAddress[];
      username?: string;
      password?: string;
      tls: boolean;
    };

const MULTI =
  /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;

/**
 * Parses `POSTBODE_REDIS_URL` (see {@link RedisTarget}); undefined when it is none of the forms.
 *
 * @example
 * parseRedisTarget('redis+sentinel://10.0.0.5:26379,10.0.0.6:26379/postbode');
 */
export function parseRedisTarget(url: string): RedisTarget | undefined {
  if (/^rediss?:\/\//.test(url)) return URL.canParse(url) ? { kind: 'single', url } : undefined;
  const match = MULTI.exec(url);
  if (match === null) return undefined;
  const [, scheme, kind, userInfo, hostList, path = '', query = ''] = match;
  const addresses: RedisAddress[] = [];
  for (const item of (hostList as string).split(',')) {
    const address = /^(\[[^\]]+\]|[^:[\]]+):([0-9]{1,5})$/.exec(item.trim());
    if (address === null) return undefined;
    const port = Number(address[2]);
    if (port < 1 || port > 65535) return undefined;
    addresses.push({ host: (address[1] as string).replace(/^\[|\]$/g, ''), port });
  }
  const credentials: { username?: string; password?: string } = {};
  if (userInfo !== undefined && userInfo !== '') {
    const colon = userInfo.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
    if (user !== '') credentials.username = user;
    if (colon >= 0) credentials.password = decodeURIComponent(userInfo.slice(colon + 1));
  }
  const params = new URLSearchParams(query);
  const tls = scheme === 'rediss';
  const segments = path.split('/').filter((segment) => segment !== '');
  if (kind === 'cluster') {
    if (segments.length > 0) return undefined;
    return { kind: 'cluster', nodes: addresses, ...credentials, tls };
  }
  const [name, db = '0'] = segments;
  if (name === undefined || segments.length > 2 || !/^[0-9]{1,2}$/.test(db)) return undefined;
  const sentinelPassword = params.get('sentinelPassword');
  return {
    kind: 'sentinel',
    sentinels: addresses,
    name: decodeURIComponent(name),
    db: Number(db),
    ...credentials,
    ...(sentinelPassword === null ? {} : { sentinelPassword }),
    tls,
  };
}
