import { CONFIG_VARIABLES, type ConfigVariable } from './config-variables.js';

/** The name of the README's generated section (`<!-- begin:config-table -->`). */
export const CONFIG_TABLE_MARKER = 'config-table';

/** Pipes escaped, so a value cannot break the table. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

const fallback = (variable: ConfigVariable): string =>
  variable.default === undefined ? `unset: ${variable.whenUnset}` : `\`${variable.default}\``;

/**
 * The README's configuration table, from {@link CONFIG_VARIABLES}: written between the
 * {@link CONFIG_TABLE_MARKER} markers by `pnpm generate`; a test fails when it drifts.
 */
export function renderConfigTableMarkdown(): string {
  const rows = CONFIG_VARIABLES.map(
    (variable: ConfigVariable) =>
      `| \`${variable.name}\` | ${cell(fallback(variable))} | ${cell(variable.description)} | \`${cell(variable.example)}\` |`,
  );
  return [
    '| variable | default | meaning | example |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
