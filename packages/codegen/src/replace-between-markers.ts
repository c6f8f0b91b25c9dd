/**
 * Replaces what stands between `<!-- begin:NAME -->` and `<!-- end:NAME -->` in `text` (a
 * Markdown file that is partly generated), keeping the markers.
 * @throws Error when the markers are missing, repeated or out of order, naming them.
 */
export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const begin = `<!-- begin:${name} -->`;
  const end = `<!-- end:${name} -->`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start || text.indexOf(begin, start + 1) !== -1) {
    throw new Error(`expected exactly one "${begin}" followed by "${end}"`);
  }
  const inner = body.endsWith('\n') ? body : `${body}\n`;
  return `${text.slice(0, start + begin.length)}\n${inner}${text.slice(stop)}`;
}
