// Offsets are Redis stream entry ids; their form and order are the protocol's (contract 6).
export {
  compareOffsets as compareStreamIds,
  isOffset as isStreamId,
} from '@postbode/protocol';

/** The smallest id: before every entry. */
export const ZERO_ID = '0-0';

/** The millisecond part of a stream id, as a number (the time Redis added the entry). */
export function streamIdTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}
