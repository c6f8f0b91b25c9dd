import {
  type ChangeLevel,
  type CompatFinding,
  compareSchemas,
  levelOf,
} from './compare-schemas.js';
import type { SchemaDocument } from './schema-document.js';
import {
  type Bump,
  bumpBetween,
  bumpCovers,
  compareVersions,
  nextVersion,
  parseVersion,
  requiredBump,
} from './semver.js';

/** One version of the protocol: its version and its JSON Schema document. */
export interface ProtocolRelease {
  readonly version: string;
  readonly schema: SchemaDocument;
}

/** The check of one step from a version to the next. */
export interface CompatStep {
  /** The version compared with; absent for the first release. */
  readonly from?: string;
  readonly to: string;
  /** True for the step to the working tree (`to` is package.json's version). */
  readonly current: boolean;
  readonly findings: readonly CompatFinding[];
  readonly level: ChangeLevel | 'none';
  /** The bump the changes need after `from`. */
  readonly required: Bump;
  /** The smallest version `to` may be. */
  readonly minimum?: string;
  readonly ok: boolean;
  /** Why not ok, one line. */
  readonly problem?: string;
}

/** What `pnpm protocol:check` found: every released step, then the working tree's. */
export interface CompatCheck {
  readonly steps: readonly CompatStep[];
  readonly ok: boolean;
}

const version0 = (text: string): boolean => parseVersion(text)?.major === 0;

/** The check of the step from `from` (the release before; none for the first) to `to`. */
function step(
  from: ProtocolRelease | undefined,
  to: ProtocolRelease,
  current: boolean,
): CompatStep {
  if (from === undefined) {
    return { to: to.version, current, findings: [], level: 'none', required: 'none', ok: true };
  }
  const findings = compareSchemas(from.schema, to.schema);
  const level = levelOf(findings);
  const required = requiredBump(level, from.version);
  const minimum = nextVersion(from.version, required);
  const base = { from: from.version, to: to.version, current, findings, level, required, minimum };
  if (compareVersions(to.version, from.version) < 0) {
    return {
      ...base,
      ok: false,
      problem: `${to.version} is older than the release ${from.version}`,
    };
  }
  const bump = bumpBetween(from.version, to.version);
  if (bumpCovers(bump, required)) return { ...base, ok: true };
  const problem =
    bump === 'none'
      ? `the schemas changed since ${from.version} was released (${level}): release them as ${minimum} or later (set it in packages/protocol/package.json, then pnpm generate)`
      : `${level} changes need ${minimum} or later after ${from.version} (a ${required} bump${
          version0(from.version) && level === 'breaking'
            ? ': while the major version is 0, a breaking change takes the minor'
            : ''
        }), not ${to.version}`;
  return { ...base, ok: false, problem };
}

/**
 * The breaking-change gate. Orders the releases by version and checks each step from one to the
 * next (a snapshot edited by hand fails here too), then the working tree against the latest
 * release: with the same version its schemas must be exactly that release's; with a later
 * version, the bump must cover the changes (`requiredBump`). Malformed versions, and a working
 * tree older than a release, fail.
 *
 * @example
 * const check = checkProtocol(releases, { version: pkg.version, schema: buildJsonSchema() });
 * if (!check.ok) process.exitCode = 1;
 */
export function checkProtocol(
  releases: readonly ProtocolRelease[],
  current: ProtocolRelease,
): CompatCheck {
  const malformed = [...releases, current].find((r) => parseVersion(r.version) === undefined);
  if (malformed !== undefined) {
    const problem = `'${malformed.version}' is not a release version (expected MAJOR.MINOR.PATCH)`;
    const failed: CompatStep = {
      to: malformed.version,
      current: malformed === current,
      findings: [],
      level: 'none',
      required: 'none',
      ok: false,
      problem,
    };
    return { steps: [failed], ok: false };
  }
  const sorted = [...releases].sort((a, b) => compareVersions(a.version, b.version));
  const steps = sorted.map((release, i) => step(sorted[i - 1], release, false));
  steps.push(step(sorted.at(-1), current, true));
  return { steps, ok: steps.every((s) => s.ok) };
}
