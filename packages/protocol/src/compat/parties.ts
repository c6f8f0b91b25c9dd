/**
 * The parties that deploy separately, and what each of them runs while the others move on.
 * The gateway always runs the version it was built with; the others may be older.
 */
export const PARTIES = {
  publisher:
    'The PHP backend: the Publisher and TokenIssuer generated from the release it installed, publishing to the gateway.',
  gateway:
    'The gateway: validates what publishers and browsers send, and delivers to browsers, with its own version of the schemas.',
  browser:
    'Browsers: bundles built with an older SDK and older types, cached for days, that send a handshake and read what the gateway delivers.',
} as const;

/** One of the {@link PARTIES}. */
export type Party = keyof typeof PARTIES;

/**
 * What one change means to one party: `safe`; `breaking` (its deployed, older code fails or
 * loses data); `deploy-first` (the gateway only: upgrade it before publishers or browsers use
 * the change, an older gateway rejects or lacks it).
 */
export type Impact = 'safe' | 'breaking' | 'deploy-first';

/** The parties, in the order reports list them. */
export const PARTY_ORDER: readonly Party[] = ['publisher', 'gateway', 'browser'];
