import type { ProtocolRelease } from './check-protocol.js';
import { type CompatFinding, compareSchemas, levelOf } from './compare-schemas.js';
import { EMPTY_SCHEMA_DOCUMENT } from './schema-document.js';
import { nextVersion, requiredBump } from './semver.js';

/** The two versions release notes are about: `from` is absent for the first release. */
export interface ChangelogRange {
  readonly from?: ProtocolRelease;
  readonly to: ProtocolRelease;
}

function item(finding: CompatFinding, why?: string): string {
  const description = finding.description === undefined ? '' : ` ${finding.description}`;
  const reason = why === undefined ? '' : ` Why it breaks: ${why}.`;
  return `- ${finding.subject}: ${finding.detail}.${description}${reason}`;
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`### ${title}`, '', ...lines, ''];
}

function audience(
  title: string,
  intro: string,
  findings: readonly CompatFinding[],
  party: 'publisher' | 'browser',
): string[] {
  const concerned = findings.filter((f) => f.level !== 'docs' && f.impacts[party] !== undefined);
  if (concerned.length === 0) return [];
  const breaking = concerned.filter((f) => f.impacts[party] === 'breaking');
  const other = concerned.filter((f) => f.impacts[party] !== 'breaking');
  return [
    `## ${title}`,
    '',
    intro,
    '',
    ...section(
      'Breaking',
      breaking.map((f) => item(f, f.reasons[party])),
    ),
    ...section(
      'New and changed (compatible)',
      other.map((f) => item(f)),
    ),
  ];
}

/**
 * Release notes between two versions of the protocol, as Markdown for PHP and front-end
 * developers: what to deploy first, then per audience what breaks (and why) and what is new,
 * then documentation changes. Without `from`, the notes of a first release: everything in it.
 *
 * @example
 * const markdown = renderChangelog({ from: releases['0.1.0'], to: current });
 */
export function renderChangelog(range: ChangelogRange): string {
  const { from, to } = range;
  const findings = compareSchemas(from?.schema ?? EMPTY_SCHEMA_DOCUMENT, to.schema);
  const level = levelOf(findings);
  const lines = [`# Postbode protocol ${to.version}`, ''];
  if (from === undefined) {
    lines.push(`The first release of the protocol: every action and definition below is new.`, '');
  } else if (findings.length === 0) {
    lines.push(`No changes to the schemas since ${from.version}.`, '');
    return `${lines.join('\n')}`;
  } else {
    const minimum = nextVersion(from.version, requiredBump(level, from.version));
    lines.push(
      `Changes since ${from.version}: ${findings.length}, ${level} as a whole (it needs ${minimum} or later).`,
      '',
    );
  }
  const first = findings.filter((f) => f.impacts.gateway === 'deploy-first');
  const publishers = findings.filter(
    (f) => f.level !== 'docs' && f.impacts.publisher !== undefined,
  );
  const browsersBreak = findings.filter((f) => f.impacts.browser === 'breaking');
  const publishersBreak = findings.filter((f) => f.impacts.publisher === 'breaking');
  const order: string[] = [];
  if (first.length > 0) {
    order.push(
      `1. **The gateway first.** An older gateway rejects or lacks ${first.length} of these changes; publishers and browsers can use them only once every gateway node runs ${to.version}.`,
    );
  }
  if (publishers.length > 0) {
    order.push(
      `${order.length + 1}. **Then the PHP backend:** regenerate the publisher (\`pnpm generate\`, or \`postbode-php --out php\`) and deploy it.${
        publishersBreak.length > 0 && from !== undefined
          ? ` ${publishersBreak.length} change(s) break PHP generated from ${from.version} as soon as the gateway runs ${to.version}: switch both together, or split the change over two releases (first add it as optional, make it required once every backend sends it).`
          : ''
      }`,
    );
  }
  order.push(
    `${order.length + 1}. **Browsers** move on as their bundles are rebuilt with the new SDK and reloaded.${
      browsersBreak.length > 0
        ? ` Until then, older bundles mishandle the ${browsersBreak.length} change(s) marked breaking for front-end developers below.`
        : ' Older bundles keep working meanwhile.'
    }`,
  );
  if (from !== undefined) lines.push('## Deploy in this order', '', ...order, '');
  lines.push(
    ...audience(
      'For PHP developers',
      'What the generated `Publisher` and `TokenIssuer` send, and what the gateway accepts from them.',
      findings,
      'publisher',
    ),
    ...audience(
      'For front-end developers',
      'What browsers receive (payloads, `meta`, `postbode:sync`, `postbode:error`) and send (the handshake).',
      findings,
      'browser',
    ),
  );
  const docs = findings.filter((f) => f.level === 'docs');
  if (docs.length > 0) lines.push('## Documentation', '', ...docs.map((f) => item(f)), '');
  return lines.join('\n');
}
