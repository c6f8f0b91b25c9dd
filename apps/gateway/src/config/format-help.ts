import { CONFIG_VARIABLES, describeDefault } from './config-variables.js';

/** Markdown code spans as plain text, for the terminal. */
const plain = (text: string): string => text.replace(/`([^`]*)`/g, '$1');

/** The text of `postbode-gateway --help`, from {@link CONFIG_VARIABLES}. */
export function formatHelp(): string {
  const width = Math.max(...CONFIG_VARIABLES.map((variable) => variable.name.length));
  const pad = ' '.repeat(width);
  const lines = CONFIG_VARIABLES.map((variable) =>
    [
      `  ${variable.name.padEnd(width)}  ${plain(variable.description)}`,
      `  ${pad}  default: ${plain(describeDefault(variable))}`,
      `  ${pad}  example: ${variable.example}`,
    ].join('\n'),
  );
  return [
    'postbode-gateway: the Postbode real-time gateway.',
    '',
    'Usage: postbode-gateway [--help]',
    '',
    'Configured by environment variables only:',
    ...lines,
    '',
    'HTTP: GET /healthz, GET /readyz, GET /metrics, POST /publish; socket.io at /socket.io.',
    '',
  ].join('\n');
}
