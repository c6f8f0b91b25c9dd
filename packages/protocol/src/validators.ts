import { Compile, type Validator } from 'typebox/compile';
import { Claims } from './claims.js';
import { type ClientActionName, clientActions } from './client-actions.js';
import { Envelope } from './envelope.js';
import { type ServerActionName, serverActions } from './server-actions.js';

const compileEnvelope = () => Compile(Envelope);
const compileClaims = () => Compile(Claims);

// Validators are compiled once, on first use (not at import: a browser that never validates
// never pays for compiling, and a strict CSP without 'unsafe-eval' is not hit at load time).
let envelopeValidator: ReturnType<typeof compileEnvelope> | undefined;
let claimsValidator: ReturnType<typeof compileClaims> | undefined;
const payloadValidators = new Map<ServerActionName, Validator>();

/** The compiled validator of the {@link Envelope} shape (payload not included). */
export function getEnvelopeValidator(): ReturnType<typeof compileEnvelope> {
  envelopeValidator ??= compileEnvelope();
  return envelopeValidator;
}

/** The compiled validator of token {@link Claims}. */
export function getClaimsValidator(): ReturnType<typeof compileClaims> {
  claimsValidator ??= compileClaims();
  return claimsValidator;
}

/** The compiled validator of a server action's payload. */
export function getPayloadValidator(action: ServerActionName): Validator {
  let validator = payloadValidators.get(action);
  if (validator === undefined) {
    validator = Compile(serverActions[action].payload) as unknown as Validator;
    payloadValidators.set(action, validator);
  }
  return validator;
}

const clientPayloadValidators = new Map<ClientActionName, Validator>();

/** The compiled validator of a client action's payload (contract 8). */
export function getClientPayloadValidator(action: ClientActionName): Validator {
  let validator = clientPayloadValidators.get(action);
  if (validator === undefined) {
    validator = Compile(clientActions[action].payload) as unknown as Validator;
    clientPayloadValidators.set(action, validator);
  }
  return validator;
}
