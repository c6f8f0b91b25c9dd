import type { AnyEnvelope } from '@postbode/protocol';

declare const decoded: unique symbol;

/**
 * An envelope that passed the edge ({@link createEnvelopeDecoder}): size-checked, parsed,
 * validated, normalised. Only the decoder makes one, so every stage behind the edge can trust
 * its input and no path can skip validation.
 */
export type DecodedEnvelope = AnyEnvelope & { readonly [decoded]: true };
