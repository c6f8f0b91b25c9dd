// Offsets are Redis stream entry ids, `<ms>-<seq>`, both unsigned 64-bit decimals (contract 6).
// Compared as decimal strings (length first), so no precision is lost past 2^53 and no BigInt
// is made per comparison.

/** The pattern of an offset: `<ms>-<seq>`, decimal, no leading zeros. */
export const STREAM_ID_PATTERN = '^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$';

/** Longest epoch a cursor may carry. */
export const MAX_EPOCH_LENGTH = 128;

const STREAM_ID = new RegExp(STREAM_ID_PATTERN);

/** True when `value` is a well-formed offset such as `1764250000123-0`. */
export function isOffset(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID.test(value);
}

const compareDecimal = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/** Orders two well-formed offsets as the stream does: negative, zero or positive. */
export function compareOffsets(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  return (
    compareDecimal(a.slice(0, dashA), b.slice(0, dashB)) ||
    compareDecimal(a.slice(dashA + 1), b.slice(dashB + 1))
  );
}
