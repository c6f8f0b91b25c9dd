import { isEmptyAudience, type NormalizedAudience } from './audience.js';
import { DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_SITE } from './core/defaults.js';
import type { ErrorCode } from './core/error-codes.js';
import { echoText } from './echo-text.js';
import type { AnyEnvelope } from './envelope.js';
import { Envelope } from './envelope.js';
import { firstSchemaProblem } from './first-schema-problem.js';
import { findJsonSyntaxProblem } from './json-syntax-problem.js';
import { isServerActionName, serverActionNames, serverActions } from './server-actions.js';
import { utf8Length } from './utf8-length.js';
import { getEnvelopeValidator, getPayloadValidator } from './validators.js';

/** Options of {@link parseEnvelope}. */
export interface ParseEnvelopeOptions {
  /**
   * Largest accepted input, in UTF-8 bytes, when the input is a string.
   * @default 1048576 (1 MiB)
   */
  maxBytes?: number;
}

/**
 * Why an envelope was rejected: safe to log. It never contains payload text, and every string
 * taken from the input (`path`, `action`, `site`) is cut to `MAX_ECHO_LENGTH` characters.
 */
export interface EnvelopeError {
  code: Extract<
    ErrorCode,
    | 'INVALID_JSON'
    | 'INVALID_ENVELOPE'
    | 'UNKNOWN_ACTION'
    | 'INVALID_PAYLOAD'
    | 'EMPTY_AUDIENCE'
    | 'TOO_LARGE'
  >;
  /** One line: the first failing path and what was expected. */
  message: string;
  /** JSON pointer of the first failing value, when there is one. */
  path?: string;
  /** The envelope's action, when it could be read. */
  action?: string;
  /** The envelope's site, when it could be read. */
  site?: string;
}

/** What {@link parseEnvelope} returns: the envelope, or why it was rejected. */
export type ParseEnvelopeResult =
  | { ok: true; envelope: AnyEnvelope }
  | { ok: false; error: EnvelopeError };

const fail = (error: EnvelopeError): ParseEnvelopeResult => ({ ok: false, error });

/** A readable label of what a value is, for "expected an object, got ..." messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Validates and normalises an envelope. Never throws. Accepts the raw JSON text (size-checked
 * first, then parsed) or an already parsed value. On success, integer user ids are strings
 * (de-duplicated) and `site` defaults to `"default"`.
 *
 * @example
 * const result = parseEnvelope(message);
 * if (!result.ok) log.warn(result.error, 'envelope rejected');
 * else deliver(result.envelope);
 */
export function parseEnvelope(
  raw: string | unknown,
  options: ParseEnvelopeOptions = {},
): ParseEnvelopeResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ENVELOPE_BYTES;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    // A string is at least as many bytes as it has UTF-16 units: skip the count when obvious.
    if (raw.length > maxBytes || (raw.length * 3 > maxBytes && utf8Length(raw) > maxBytes)) {
      return fail({
        code: 'TOO_LARGE',
        message: `envelope is larger than ${maxBytes} bytes`,
      });
    }
    try {
      value = JSON.parse(raw);
    } catch {
      // Never Node's message: it quotes the start of the input. Position and kind only.
      const problem = findJsonSyntaxProblem(raw);
      return fail({
        code: 'INVALID_JSON',
        path: '/',
        message:
          problem === undefined
            ? 'envelope is not valid JSON'
            : `envelope is not valid JSON: ${problem.kind} at position ${problem.position}`,
      });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail({
      code: 'INVALID_ENVELOPE',
      path: '/',
      message: `envelope must be an object, got ${describe(value)}`,
    });
  }
  const record = value as Record<string, unknown>;
  // Read before validation, so only ever repeated cut to the echo length.
  const action = typeof record.action === 'string' ? echoText(record.action) : undefined;
  const site = typeof record.site === 'string' ? echoText(record.site) : undefined;
  const shape = getEnvelopeValidator();
  if (!shape.Check(value)) {
    const problem = firstSchemaProblem(Envelope, value);
    const path = echoText(problem.path);
    return fail({
      code: 'INVALID_ENVELOPE',
      path,
      message: `${path} ${problem.message}`,
      ...(action === undefined ? {} : { action }),
      ...(site === undefined ? {} : { site }),
    });
  }
  const envelope = value;
  const where = { action: envelope.action, site: envelope.site ?? DEFAULT_SITE };
  if (!isServerActionName(envelope.action)) {
    return fail({
      code: 'UNKNOWN_ACTION',
      path: '/action',
      message: `/action ${JSON.stringify(echoText(envelope.action))} is not a server action; expected one of ${serverActionNames.join(', ')}`,
      ...where,
    });
  }
  if (isEmptyAudience(envelope.to)) {
    return fail({
      code: 'EMPTY_AUDIENCE',
      path: '/to',
      message: '/to addresses nobody: give users, roles or all: true',
      ...where,
    });
  }
  const payload = getPayloadValidator(envelope.action);
  if (!payload.Check(envelope.data)) {
    const problem = firstSchemaProblem(
      serverActions[envelope.action].payload,
      envelope.data,
      '/data',
    );
    const path = echoText(problem.path);
    return fail({
      code: 'INVALID_PAYLOAD',
      path,
      message: `${path} ${problem.message}`,
      ...where,
    });
  }
  const to: NormalizedAudience = {};
  if (envelope.to.users !== undefined && envelope.to.users.length > 0) {
    to.users = [...new Set(envelope.to.users.map(String))];
  }
  if (envelope.to.roles !== undefined && envelope.to.roles.length > 0) {
    to.roles = [...new Set(envelope.to.roles)];
  }
  if (envelope.to.all === true) to.all = true;
  const parsed = {
    action: envelope.action,
    data: envelope.data,
    to,
    site: where.site,
    ...(envelope.id === undefined ? {} : { id: envelope.id }),
    ...(envelope.ts === undefined ? {} : { ts: envelope.ts }),
  } as AnyEnvelope;
  return { ok: true, envelope: parsed };
}
