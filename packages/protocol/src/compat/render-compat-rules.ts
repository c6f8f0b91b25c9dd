import { COMPAT_RULE_IDS, COMPAT_RULES } from './compat-rules.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The rules of `pnpm protocol:check` as a Markdown table: the rule, what it detects, and what
 * it means to the sender (the publisher; browsers for the handshake), the gateway and older
 * browsers that read. Written into `docs/protocol-versions.md` by `pnpm generate`.
 */
export function renderCompatRulesMarkdown(): string {
  const rows = COMPAT_RULE_IDS.map((id) => {
    const rule = COMPAT_RULES[id];
    const sender = `${rule.sender}: ${rule.senderWhy}`;
    const reader = `${rule.reader}: ${rule.readerWhy}`;
    const gateway = rule.gatewayFirst ? 'deploy first' : '-';
    return `| \`${id}\` | ${cell(rule.summary)} | ${cell(sender)} | ${gateway} | ${cell(reader)} |`;
  });
  return [
    '| rule | change | sender (publisher; browsers for the handshake) | gateway | older browsers reading |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The name of the markers around the rules table in `docs/protocol-versions.md`. */
export const COMPAT_RULES_MARKER = 'compat-rules';
