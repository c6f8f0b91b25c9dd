// Types of protocol-variant.mjs, for the tests that import it (packages/php-publisher,
// packages/client-sdk).

/** A protocol variant on disk: the environment that makes a gateway process use it. */
export interface ProtocolVariant {
  /** `NODE_OPTIONS` that load the variant's module hook; add it to the gateway's environment. */
  env: { NODE_OPTIONS: string };
  /** Removes the variant's files (after the gateway stopped). */
  remove(): Promise<void>;
}

/**
 * Writes a protocol variant whose server actions are those of `document` (a JSON Schema
 * document of the protocol: `$defs` and the root `oneOf`).
 */
export declare function writeProtocolVariant(document: {
  readonly $defs: { readonly [name: string]: object };
  readonly oneOf?: readonly unknown[];
}): Promise<ProtocolVariant>;
