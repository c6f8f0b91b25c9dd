/**
 * Where an envelope came in: the Redis stream (durable), the Redis channel (live only),
 * `POST /publish`, or a client action relayed on the embedded bus (contract 8). The metrics'
 * `source` label.
 */
export type EnvelopeSource = 'stream' | 'redis' | 'http' | 'relay';
