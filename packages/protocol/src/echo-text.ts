/**
 * Longest piece of untrusted text (an action, a site, a JSON pointer, a token's `alg`, an
 * `Origin`) that Postbode repeats in a log line or an error message, in characters.
 */
export const MAX_ECHO_LENGTH = 128;

/**
 * `text` as it may be repeated in a log line or an error: at most {@link MAX_ECHO_LENGTH}
 * characters, longer text cut and marked with `…` (so one hostile value cannot make a
 * log line or an answer large).
 */
export function echoText(text: string, max = MAX_ECHO_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
