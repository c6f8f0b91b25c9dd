/** The site (tenant) of a message or token that names none. */
export const DEFAULT_SITE = 'default';

/** The Redis channel envelopes are published on unless configured otherwise. */
export const DEFAULT_CHANNEL = 'postbode';

/** Largest envelope accepted by default: 1 MiB of UTF-8. */
export const DEFAULT_MAX_ENVELOPE_BYTES = 1024 * 1024;

/** The Redis stream durable envelopes are appended to unless configured otherwise (contract 6). */
export const DEFAULT_STREAM = 'postbode:stream';
