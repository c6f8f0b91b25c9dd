import type { ChangeLevel } from './compare-schemas.js';

/** A release version, `MAJOR.MINOR.PATCH` (no pre-release or build suffix). */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** How far apart two versions are. */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

const BUMP_RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** Parses `MAJOR.MINOR.PATCH`; `undefined` for anything else. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text);
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

function version(text: string): Version {
  const parsed = parseVersion(text);
  if (parsed === undefined) {
    throw new TypeError(`'${text}' is not a release version (expected MAJOR.MINOR.PATCH)`);
  }
  return parsed;
}

/** Orders two versions like a sort comparator. Throws on a malformed version. */
export function compareVersions(a: string, b: string): number {
  const x = version(a);
  const y = version(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** The bump from `from` to `to` (`none` when equal). Throws when `to` is older. */
export function bumpBetween(from: string, to: string): Bump {
  const x = version(from);
  const y = version(to);
  if (compareVersions(from, to) > 0) throw new RangeError(`${to} is older than ${from}`);
  if (y.major > x.major) return 'major';
  if (y.minor > x.minor) return 'minor';
  if (y.patch > x.patch) return 'patch';
  return 'none';
}

/**
 * The smallest bump after `from` that a change of `level` needs. From 1.0.0 on, semver: a
 * breaking change needs a major bump, a compatible one a minor bump, documentation a patch.
 * While the major version is 0, one step down (as npm's `^0.y.z` reads it): a breaking change
 * needs a minor bump, anything else a patch.
 */
export function requiredBump(level: ChangeLevel | 'none', from: string): Bump {
  const initial = version(from).major === 0;
  switch (level) {
    case 'none':
      return 'none';
    case 'docs':
      return 'patch';
    case 'compatible':
      return initial ? 'patch' : 'minor';
    case 'breaking':
      return initial ? 'minor' : 'major';
    default:
      return level satisfies never;
  }
}

/** True when `bump` is at least `needed`. */
export function bumpCovers(bump: Bump, needed: Bump): boolean {
  return BUMP_RANK[bump] >= BUMP_RANK[needed];
}

/** The version `bump` gives after `from`: `0.1.3` + minor = `0.2.0`. */
export function nextVersion(from: string, bump: Bump): string {
  const { major, minor, patch } = version(from);
  switch (bump) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
    case 'none':
      return from;
    default:
      return bump satisfies never;
  }
}
