// Redis stream entry ids, `<ms>-<seq>`, both unsigned 64-bit integers. Compared as decimal
// strings (length first), so no precision is lost past 2^53 and no BigInt is made per entry.

/** A well-formed stream id: `<ms>-<seq>`, decimal, no leading zeros. */
const STREAM_ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

/** The smallest id: before every entry. */
export const ZERO_ID = '0-0';

/** True when `value` is a stream id such as `1764250000123-0`. */
export function isStreamId(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID.test(value);
}

const compareDecimal = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/** Orders two well-formed stream ids: negative, zero or positive, like a sort comparator. */
export function compareStreamIds(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  return (
    compareDecimal(a.slice(0, dashA), b.slice(0, dashB)) ||
    compareDecimal(a.slice(dashA + 1), b.slice(dashB + 1))
  );
}

/** The millisecond part of a stream id, as a number (the time Redis added the entry). */
export function streamIdTime(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}
