import { readFileSync } from 'node:fs';

/**
 * The protocol's Lua scripts the generated PHP runs, by their path in the package and their
 * name in `@postbode/protocol/redis/`. Copied byte for byte: the PHP sends the very script the
 * gateway loads, so its SHA1 (for EVALSHA) is the same.
 */
export const COPIED_SCRIPTS: Readonly<Record<string, string>> = {
  'src/Resources/read.lua': 'read',
};

/** The text of one of the protocol's stream scripts, e.g. `read` (`redis/read.lua`). */
export function readProtocolScript(name: string): string {
  return readFileSync(new URL(import.meta.resolve(`@postbode/protocol/redis/${name}.lua`)), 'utf8');
}
