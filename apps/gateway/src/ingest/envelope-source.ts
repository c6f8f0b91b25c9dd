/**
 * Where an envelope came in: the Redis stream (durable), the Redis channel (live only), or
 * `POST /publish`. The metrics' `source` label.
 */
export type EnvelopeSource = 'stream' | 'redis' | 'http';
