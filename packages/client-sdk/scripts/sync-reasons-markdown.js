// Renders the README's table of sync reasons from the protocol's SYNC_REASONS (the one place
// each reason is described), with what the SDK does for each: onResync for every reason but
// `no_cursor`, as ResumeCursor.sync decides. Pure: same table in, same text out.

/**
 * @param {Record<string, string>} reasons the protocol's SYNC_REASONS
 * @returns {string}
 */
export function renderSyncReasonsMarkdown(reasons) {
  return [
    '| reason | what happened | the SDK |',
    '| --- | --- | --- |',
    ...Object.entries(reasons).map(
      ([reason, meaning]) =>
        `| \`${reason}\` | ${meaning} | ${reason === 'no_cursor' ? 'nothing: never `onResync` (the page loaded the state)' : '`onResync(reason)`: refetch'} |`,
    ),
  ].join('\n');
}
