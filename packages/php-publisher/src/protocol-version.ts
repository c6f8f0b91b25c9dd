import { readFileSync } from 'node:fs';

/**
 * The version of `@postbode/protocol` the generator is built against (its package.json, where
 * the protocol's version is declared once). The generated composer package carries it, so a
 * backend's PHP says which protocol it speaks (`docs/protocol-versions.md`).
 */
export function readProtocolVersion(): string {
  const url = new URL(import.meta.resolve('@postbode/protocol/package.json'));
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new TypeError(`${url.pathname} has no version`);
  return version;
}
