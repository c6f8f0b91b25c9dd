/** Where an envelope came in: the Redis channel, or `POST /publish`. The metrics' `source` label. */
export type EnvelopeSource = 'redis' | 'http';
