import { describe, expect, it } from 'vitest';
import { targetOrder } from '../src/target-order.js';

const ids = (list: Array<{ id: string }>): string[] => list.map((target) => target.id);

describe('targetOrder', () => {
  const targets = [
    { id: 'postbode' },
    { id: 'postbode-stream', variantOf: 'postbode' },
    { id: 'relay' },
    { id: 'redis-adapter' },
  ];

  it('rotates by one group per repetition, a variant staying right after its reference', () => {
    expect(ids(targetOrder(targets, 1))).toEqual([
      'postbode',
      'postbode-stream',
      'relay',
      'redis-adapter',
    ]);
    expect(ids(targetOrder(targets, 2))).toEqual([
      'relay',
      'redis-adapter',
      'postbode',
      'postbode-stream',
    ]);
    expect(ids(targetOrder(targets, 3))).toEqual([
      'redis-adapter',
      'postbode',
      'postbode-stream',
      'relay',
    ]);
    expect(ids(targetOrder(targets, 4))).toEqual(ids(targetOrder(targets, 1)));
  });

  it('puts every target first once in as many repetitions as there are groups', () => {
    const firsts = [1, 2, 3].map((repetition) => targetOrder(targets, repetition)[0]?.id);
    expect(firsts).toEqual(['postbode', 'relay', 'redis-adapter']);
  });

  it('keeps the list as it is for one target, and is empty for none', () => {
    expect(ids(targetOrder([{ id: 'relay' }], 5))).toEqual(['relay']);
    expect(targetOrder([], 2)).toEqual([]);
  });
});
