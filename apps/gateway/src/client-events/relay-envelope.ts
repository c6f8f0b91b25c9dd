import { type ClientActionName, clientActions, type NormalizedClaims } from '@postbode/protocol';

/**
 * The envelope a relayed client action becomes (contract 8): the action's server action, to one
 * user of the sender's site, with the sender's id from the token. Returns `undefined` when the
 * token's `relayTo` claim does not name the recipient. It goes through the same edge decoder as
 * every envelope (the bus, or the embedded bus), never to the durable stream.
 */
export function relayEnvelope(
  action: ClientActionName,
  data: Record<string, unknown>,
  claims: NormalizedClaims,
  id: string,
  ts: number,
): { recipient: string; json: string | undefined } {
  const { relay } = clientActions[action];
  if (relay === undefined) throw new TypeError(`client action '${action}' is not relayed`);
  // The schema was checked at the edge: the payload has the action's shape.
  const payload = data as never;
  const recipient = relay.recipient(payload);
  if (claims.relayTo !== undefined && !claims.relayTo.includes(recipient)) {
    return { recipient, json: undefined };
  }
  const envelope = {
    action: relay.serverAction,
    data: relay.payload(payload, claims.sub),
    to: { users: [recipient] },
    site: claims.site,
    id,
    ts,
  };
  return { recipient, json: JSON.stringify(envelope) };
}
