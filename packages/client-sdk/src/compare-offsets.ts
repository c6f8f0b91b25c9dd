/**
 * Orders two offsets (stream entry ids, `<ms>-<seq>`, each part an unsigned 64-bit decimal) as
 * the stream does: negative, zero or positive, like a sort comparator. Both parts are padded
 * to 20 digits and compared as strings, so ids past 2^53 keep their order without BigInt.
 */
export function compareOffsets(a: string, b: string): number {
  const x = sortKey(a);
  const y = sortKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `1764250000123-7` → `00000001764250000123-00000000000000000007`: string order is id order. */
const sortKey = (offset: string): string =>
  offset.replace(/\d+/g, (digits) => digits.padStart(20, '0'));
