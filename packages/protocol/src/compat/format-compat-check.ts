import type { CompatCheck, CompatStep } from './check-protocol.js';
import type { CompatFinding } from './compare-schemas.js';
import { type Impact, PARTY_ORDER, type Party } from './parties.js';

/** How each party is named in reports. */
export const PARTY_LABELS: Record<Party, string> = {
  publisher: 'publisher (PHP)',
  gateway: 'gateway',
  browser: 'old browsers',
};

const IMPACT_LABELS: Record<Impact, string> = {
  safe: 'safe',
  breaking: 'BREAKING',
  'deploy-first': 'deploy first',
};

/** One finding as report lines: level, rule and path; what changed; each party's verdict and why. */
export function formatFinding(finding: CompatFinding): string[] {
  const level = finding.level === 'breaking' ? 'BREAKING' : finding.level;
  const lines = [
    `${level}  ${finding.rule}  ${finding.path}`,
    `    ${finding.subject}: ${finding.detail}`,
  ];
  for (const party of PARTY_ORDER) {
    const impact = finding.impacts[party];
    if (impact === undefined || finding.level === 'docs') continue;
    lines.push(`    ${PARTY_LABELS[party]}: ${IMPACT_LABELS[impact]}: ${finding.reasons[party]}`);
  }
  return lines;
}

function stepTitle(step: CompatStep): string {
  const to = step.current ? `${step.to} (working tree)` : step.to;
  if (step.from === undefined)
    return step.current ? `${to}: no release yet` : `${to}: first release`;
  const changes =
    step.findings.length === 0
      ? 'no changes'
      : `${step.findings.length} change(s), ${step.level}, needs ${step.minimum} or later`;
  return `${step.from} → ${to}: ${changes}`;
}

/**
 * The report `pnpm protocol:check` prints: a line per step, the findings of each step that has
 * any (every finding with its path, rule and each party's verdict), and the verdict.
 */
export function formatCompatCheck(check: CompatCheck): string[] {
  const lines: string[] = [];
  for (const step of check.steps) {
    lines.push(`${step.ok ? 'ok  ' : 'FAIL'} ${stepTitle(step)}`);
    for (const finding of step.findings) {
      lines.push(...formatFinding(finding).map((line) => `       ${line}`));
    }
    if (step.problem !== undefined) lines.push(`       ${step.problem}`);
  }
  lines.push(
    check.ok
      ? 'protocol:check: every change is covered by its version'
      : 'protocol:check: failed (docs/protocol-versions.md explains the rules)',
  );
  return lines;
}
