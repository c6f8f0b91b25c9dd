import { describe, expect, it } from 'vitest';
import { ByteBlocks } from '../src/history/byte-blocks.js';
import { HistoryIndex, type HistoryLimits } from '../src/history/history-index.js';

// The retained window (contract 6's recovery, answered from memory), on its own: which frames a
// cursor gets, in which order, and what eviction leaves. The end-to-end behaviour (replays on a
// real gateway and Redis) is in recovery.test.ts.

const unbounded: HistoryLimits = {
  retentionMs: Number.POSITIVE_INFINITY,
  maxEntries: Number.POSITIVE_INFINITY,
  maxBytes: Number.POSITIVE_INFINITY,
};

/** Appends entry `i` (offset `<i>-0`, added at ms `i`), its frame the text `w<i>`. */
function append(index: HistoryIndex, i: number, rooms: string[], now = i, bytes = 10): void {
  index.append({ offset: `${i}-0`, time: i, rooms, frame: Buffer.from(`w${i}`), bytes }, now);
}

/** The frames found for a cursor, as text, or why there are none. */
const collected = (index: HistoryIndex, rooms: string[], cursor: string, max = 1e9) => {
  const result = index.collect(rooms, cursor, max);
  return result.ok ? result.frames.map((frame) => frame.toString()) : result.reason;
};

describe('HistoryIndex', () => {
  it('gives the entries after a cursor for a socket in several rooms: each once, in offset order', () => {
    const index = new HistoryIndex(unbounded);
    append(index, 1, ['u:a']);
    append(index, 2, ['r:admin']);
    append(index, 3, ['u:a', 'r:admin']);
    append(index, 4, ['u:b']);
    append(index, 5, ['s:all']);
    append(index, 6, ['u:a']);
    expect(collected(index, ['u:a', 'r:admin', 's:all'], '0-0')).toEqual([
      'w1',
      'w2',
      'w3',
      'w5',
      'w6',
    ]);
    expect(collected(index, ['u:a', 'r:admin', 's:all'], '3-0')).toEqual(['w5', 'w6']);
    expect(collected(index, ['u:b'], '1-0')).toEqual(['w4']);
    expect(collected(index, ['u:c'], '1-0')).toEqual([]);
    expect(collected(index, ['u:a'], '6-0')).toEqual([]);
    expect(index.position).toBe('6-0');
    expect([index.size, index.bytes]).toEqual([6, 60]);
  });

  it('refuses a cursor past the end (epoch), one before an evicted entry (trimmed), more than the maximum (too_many)', () => {
    const index = new HistoryIndex({ ...unbounded, maxEntries: 3 });
    for (let i = 1; i <= 5; i += 1) append(index, i, ['u:a']);
    expect(collected(index, ['u:a'], '9-0')).toBe('epoch');
    // 1 and 2 were evicted: a cursor before 2 missed it.
    expect(collected(index, ['u:a'], '1-0')).toBe('trimmed');
    expect(collected(index, ['u:a'], '2-0')).toEqual(['w3', 'w4', 'w5']);
    expect(collected(index, ['u:a'], '2-0', 2)).toBe('too_many');
    expect(collected(index, ['u:a'], '2-0', 3)).toEqual(['w3', 'w4', 'w5']);
  });

  it('evicts by age, count and bytes, from every room of an entry, over many compactions', () => {
    const index = new HistoryIndex({ retentionMs: 1_000, maxEntries: 2_500, maxBytes: 40_000 });
    // 10,000 entries, a third of them to two rooms: the columns compact several times.
    for (let i = 1; i <= 10_000; i += 1) {
      append(index, i, i % 3 === 0 ? [`u:${i % 7}`, 'r:admin'] : [`u:${i % 7}`], i, 10);
    }
    expect(index.size).toBe(1_001); // the last second: entries 9000..10000
    expect(index.boundary).toBe('8999-0');
    const admin = collected(index, ['r:admin'], '8999-0') as string[];
    expect(admin).toEqual(
      Array.from({ length: 10_000 - 8_999 }, (_, k) => 9_000 + k)
        .filter((i) => i % 3 === 0)
        .map((i) => `w${i}`),
    );
    const user = collected(index, ['u:3', 'r:admin'], '9990-0');
    // 9992 and 9999 to user 3 (i % 7), 9993, 9996 and 9999 to admins: 9999 once.
    expect(user).toEqual(['w9992', 'w9993', 'w9996', 'w9999']);
    // By bytes: at most 40,000 bytes of 100-byte entries.
    for (let i = 10_001; i <= 10_500; i += 1) append(index, i, ['u:x'], 10_000, 100);
    expect(index.bytes).toBeLessThanOrEqual(40_000);
    expect(collected(index, ['u:x'], '10100-0')).toHaveLength(400);
    expect(collected(index, ['u:x'], '10099-0')).toBe('trimmed');
    // Rooms whose entries are all gone are forgotten.
    expect(collected(index, ['u:0', 'u:1', 'r:admin'], '10100-0')).toEqual([]);
    // By time alone, on the eviction timer.
    index.evict(1_000_000);
    expect([index.size, index.bytes]).toEqual([0, 0]);
    expect(index.boundary).toBe('10500-0');
    expect(collected(index, ['u:x'], '10500-0')).toEqual([]);
  });

  it('starts over after reset, and entries appended after it are found', () => {
    const index = new HistoryIndex(unbounded);
    for (let i = 1; i <= 3; i += 1) append(index, i, ['u:a']);
    index.reset('10-0', '10-0');
    expect([index.size, index.bytes, index.position]).toEqual([0, 0, '10-0']);
    expect(collected(index, ['u:a'], '10-0')).toEqual([]);
    append(index, 11, ['u:a']);
    append(index, 12, ['u:a', 'u:b']);
    expect(collected(index, ['u:a', 'u:b'], '10-0')).toEqual(['w11', 'w12']);
    expect(collected(index, ['u:a'], '5-0')).toBe('trimmed');
  });

  it('keeps frames of every size in blocks: a frame read before later appends and evictions still reads the same', () => {
    const index = new HistoryIndex({ ...unbounded, maxEntries: 200 });
    const frameOf = (i: number) => Buffer.from(`w${i}:${'é'.repeat(i % 5 === 0 ? 150_000 : i)}`);
    const early: Buffer[] = [];
    for (let i = 1; i <= 1_000; i += 1) {
      index.append(
        { offset: `${i}-${i * 7}`, time: i, rooms: ['u:a'], frame: frameOf(i), bytes: 1 },
        i,
      );
      // A replay in flight holds its frames while more messages come and they are evicted.
      if (i === 300) {
        const found = index.collect(['u:a'], '295-2065', 10);
        if (!found.ok) throw new Error(found.reason);
        early.push(...found.frames);
      }
    }
    expect(
      early.map((frame) => frame.equals(frameOf(Number(frame.toString().split(':')[0]?.slice(1))))),
    ).toEqual([true, true, true, true, true]);
    expect(early.map((frame) => frame.toString().split(':')[0])).toEqual([
      'w296',
      'w297',
      'w298',
      'w299',
      'w300',
    ]);
    const found = index.collect(['u:a'], '990-6930', 100);
    if (!found.ok) throw new Error(found.reason);
    expect(
      found.frames.map((frame) =>
        frame.equals(frameOf(Number(frame.toString().split(':')[0]?.slice(1)))),
      ),
    ).toEqual(Array(10).fill(true));
    expect(index.boundary).toBe('800-5600');
  });
});

describe('ByteBlocks', () => {
  it('puts records one after the other in a block, a larger record in a block of its own size', () => {
    const blocks = new ByteBlocks(64);
    const a = blocks.append('1-0', Buffer.from('abcdefghij'));
    const b = blocks.append('2-0', Buffer.from('klmnopqrst'));
    expect(b.block).toBe(a.block);
    expect([a.start, b.start]).toEqual([0, 13]);
    expect(a.block.toString('latin1', 0, 26)).toBe('1-0abcdefghij2-0klmnopqrst');
    // Does not fit in the 38 bytes left: a new block; bigger than a block: exactly its size.
    const big = blocks.append('3-0', Buffer.alloc(100, 1));
    expect(big.block).not.toBe(a.block);
    expect([big.start, big.block.length]).toEqual([0, 103]);
    const next = blocks.append('4-0', Buffer.from('x'));
    expect(next.block).not.toBe(big.block);
    // Nothing written before was overwritten.
    expect(a.block.toString('latin1', 0, 26)).toBe('1-0abcdefghij2-0klmnopqrst');
    blocks.clear();
    expect(blocks.append('5-0', Buffer.from('y')).start).toBe(0);
  });
});
