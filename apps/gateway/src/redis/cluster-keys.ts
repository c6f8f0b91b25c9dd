/**
 * The hash tag of a key as Redis Cluster reads it: the text between the first `{` and the
 * first `}` after it, when not empty. Keys with the same tag are on the same slot.
 */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close <= open + 1) return undefined;
  return key.slice(open + 1, close);
}

/** The keys whose slots a Redis Cluster constrains. */
export interface ClusterKeys {
  /** `POSTBODE_STREAM`: its scripts touch it and `<stream>:meta` together. */
  stream: string;
  /** `POSTBODE_EVENTS_STREAM`: the presence scripts append to it. */
  eventsStream: string;
  /** `POSTBODE_PRESENCE_PREFIX`: every presence key starts with it. */
  presencePrefix: string;
}

/** Which variable breaks Redis Cluster's one-slot rule, and what it must be. */
export interface ClusterKeyProblem {
  variable: 'POSTBODE_STREAM' | 'POSTBODE_EVENTS_STREAM' | 'POSTBODE_PRESENCE_PREFIX';
  expected: string;
}

/**
 * In cluster mode every Lua script must touch keys of one slot: the stream with its meta hash,
 * and every presence key with the events stream. Hash tags make that true for any site, node or
 * user in the key names. Undefined when the keys are fine.
 */
export function clusterKeyProblem(keys: ClusterKeys): ClusterKeyProblem | undefined {
  if (hashTag(keys.stream) === undefined) {
    return {
      variable: 'POSTBODE_STREAM',
      expected:
        'a key with a hash tag in Redis Cluster (for example {postbode}:stream), so that <stream>:meta is on its slot',
    };
  }
  const tag = hashTag(keys.presencePrefix);
  if (tag === undefined) {
    return {
      variable: 'POSTBODE_PRESENCE_PREFIX',
      expected:
        'a prefix with a hash tag in Redis Cluster (for example {postbode}:presence), so that every presence key is on one slot',
    };
  }
  if (hashTag(keys.eventsStream) !== tag) {
    return {
      variable: 'POSTBODE_EVENTS_STREAM',
      expected: `a key with the hash tag of POSTBODE_PRESENCE_PREFIX in Redis Cluster (for example {${tag}}:events): the presence scripts append to it`,
    };
  }
  return undefined;
}
