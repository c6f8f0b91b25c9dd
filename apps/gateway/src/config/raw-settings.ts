import { PostbodeError } from '@postbode/protocol';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import {
  CONFIG_VARIABLES,
  type ConfigVariableName,
  configVariable,
  type DefaultedVariableName,
} from './config-variables.js';

// The whole environment as one schema, compiled once; each property is one variable's check.
const EnvSchema = Type.Object(
  Object.fromEntries(
    CONFIG_VARIABLES.map((variable) => [variable.name, Type.Optional(variable.schema)]),
  ),
);
const envValidator = Compile(EnvSchema);

/** The error for one variable: names it and what was expected, echoing no secret. */
export function invalidSetting(
  name: ConfigVariableName,
  value: string | undefined,
  expected?: string,
): PostbodeError {
  const variable = configVariable(name);
  const got =
    value === undefined || variable.secret
      ? ''
      : `, got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)}`;
  return new PostbodeError(
    'INVALID_CONFIG',
    `${name} must be ${expected ?? variable.expected}${got}`,
  );
}

/** The gateway's variables as set (empty counts as unset), each checked by its schema. */
export interface RawSettings {
  /** The value as set, or undefined. */
  get(name: ConfigVariableName): string | undefined;
  /** The value as set, or the variable's declared default. */
  withDefault(name: DefaultedVariableName): string;
}

/**
 * Picks the gateway's variables out of `env` and checks each against its declared schema.
 * @throws PostbodeError `INVALID_CONFIG` naming the first variable that fails.
 */
export function readRawSettings(env: Record<string, string | undefined>): RawSettings {
  const raw: Partial<Record<ConfigVariableName, string>> = {};
  for (const { name } of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!envValidator.Check(raw)) {
    const first = envValidator.Errors(raw)[0];
    const name = (first?.instancePath.slice(1) ?? '') as ConfigVariableName;
    throw invalidSetting(name, raw[name]);
  }
  return {
    get: (name) => raw[name],
    withDefault: (name) => raw[name] ?? (configVariable(name).default as string),
  };
}

/** Splits a comma-separated setting, trimming items and dropping empty ones. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
