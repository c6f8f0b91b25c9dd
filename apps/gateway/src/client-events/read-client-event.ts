import {
  type ClientActionName,
  checkClientPayload,
  clientActions,
  type ErrorShape,
  isClientActionName,
  MAX_ID_LENGTH,
} from '@postbode/protocol';

/** A `postbode:event` whose shape and action are known; `data` not yet checked. */
export interface ClientEventHead {
  action: ClientActionName;
  data: Record<string, unknown>;
  /** The client's idempotency id, when it sent one. */
  id: string | undefined;
}

/** What {@link readClientEventHead} made of a packet. */
export type ReadHeadResult =
  | { ok: true; event: ClientEventHead }
  | { ok: false; error: ErrorShape };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The first half of the edge for `postbode:event`: the packet is `{ action, data, id? }`, and
 * `action` is a client action. Never throws. (The rate limit comes next, then
 * {@link checkClientEventData}, so that a flood costs no schema checks.)
 */
export function readClientEventHead(packet: unknown): ReadHeadResult {
  if (!isRecord(packet)) {
    return refuse('INVALID_ENVELOPE', 'a client event is an object { action, data, id? }');
  }
  const { action, data, id } = packet;
  if (typeof action !== 'string') {
    return refuse('INVALID_ENVELOPE', 'a client event needs `action`, a string');
  }
  if (!isClientActionName(action)) {
    const shown = action.length > 64 ? `${action.slice(0, 64)}…` : action;
    return refuse('UNKNOWN_ACTION', `'${shown}' is not a client action`);
  }
  if (!isRecord(data)) {
    return refuse('INVALID_PAYLOAD', `data of '${action}' must be an object`);
  }
  if (
    id !== undefined &&
    !(typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH)
  ) {
    return refuse('INVALID_ENVELOPE', `id must be a string of 1 to ${MAX_ID_LENGTH} characters`);
  }
  return { ok: true, event: { action, data, id } };
}

/**
 * The second half: `data` fits the action's size limit and its payload schema. Returns the
 * payload's JSON (what the stream stores) or the error.
 */
export function checkClientEventData(
  event: ClientEventHead,
): { ok: true; json: string } | { ok: false; error: ErrorShape } {
  const json = JSON.stringify(event.data);
  const { maxPayloadBytes } = clientActions[event.action].limits;
  if (Buffer.byteLength(json) > maxPayloadBytes) {
    return refuse('TOO_LARGE', `data of '${event.action}' is larger than ${maxPayloadBytes} bytes`);
  }
  const problem = checkClientPayload(event.action, event.data);
  if (problem !== undefined) {
    return refuse('INVALID_PAYLOAD', `${event.action}: ${problem.path} ${problem.message}`);
  }
  return { ok: true, json };
}

function refuse(code: ErrorShape['code'], message: string): { ok: false; error: ErrorShape } {
  return { ok: false, error: { code, message } };
}
