import type { Target } from './targets/target.js';

/**
 * The order targets run in during one repetition: the list rotated by one group per repetition
 * (A B C, then B C A, then C A B), so that no target is always first after a scenario change or
 * always last before one. A group is a reference target with its variants right after it (the
 * same server fed another way): they stay next to each other, so a variant's ratio compares two
 * runs made one after the other.
 */
export function targetOrder<T extends Pick<Target, 'id' | 'variantOf'>>(
  targets: readonly T[],
  repetition: number,
): T[] {
  const groups: T[][] = [];
  for (const target of targets) {
    const group =
      target.variantOf === undefined
        ? undefined
        : groups.find((candidate) => candidate[0]?.id === target.variantOf);
    if (group === undefined) groups.push([target]);
    else group.push(target);
  }
  const shift = groups.length === 0 ? 0 : (repetition - 1) % groups.length;
  return [...groups.slice(shift), ...groups.slice(0, shift)].flat();
}
