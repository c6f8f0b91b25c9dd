import {
  checkPayload,
  parseEnvelope,
  type ServerActionName,
  serverActions,
} from '@postbode/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../src/build-model.js';
import { casesFor, type PublishCase } from './support/payload-cases.js';
import { runPhpJson } from './support/php.js';
import { PURE_PHP_RUNTIMES, usePhpRuntime } from './support/php-wasm.js';

type Outcome =
  | { outcome: 'ok'; id: string; json: string }
  | { outcome: 'invalid'; parameter: string; rule: string; message: string };

const model = buildModel();

describe.each(PURE_PHP_RUNTIMES)('on $name', (runtime) => {
  const php = usePhpRuntime(runtime);

  describe.each(model.actions.map((action) => [action.method, action] as const))(
    'Publisher::%s',
    (_method, action) => {
      const example = serverActions[action.name as ServerActionName].example as Record<
        string,
        unknown
      >;
      const cases = casesFor(action, example);
      let outcomes: Outcome[] = [];

      beforeAll(async () => {
        // One PHP process per action; it exits non-zero when a case's outcome is not the
        // expected one, or an invalid call sent anything.
        outcomes = await runPhpJson<Outcome[]>('build-envelopes.php', { cases }, { php });
      });

      const valid = cases.flatMap((c, i) => (c.expect === 'ok' ? [[c.name, c, i] as const] : []));
      const invalid = cases.flatMap((c, i) =>
        c.expect === 'invalid' ? [[c.name, c, i] as const] : [],
      );

      it.each(valid)('sends an envelope parseEnvelope accepts: %s', (_name, c: PublishCase, i) => {
        const outcome = outcomes[i];
        if (outcome?.outcome !== 'ok')
          throw new Error(`expected an envelope, got ${JSON.stringify(outcome)}`);
        const parsed = parseEnvelope(outcome.json);
        if (!parsed.ok) throw new Error(`parseEnvelope rejected it: ${parsed.error.message}`);
        expect(parsed.envelope.action).toBe(action.name);
        expect(parsed.envelope.data).toEqual(c.data);
        expect(parsed.envelope.to).toEqual(c.to);
        expect(parsed.envelope.id).toBe(outcome.id);
        // Exactly the keys of the contract, in its order; no site when none was set.
        expect(Object.keys(JSON.parse(outcome.json))).toEqual(['action', 'data', 'to', 'id', 'ts']);
      });

      it.each(invalid)(
        'throws InvalidPayload naming the parameter and the rule: %s',
        (_name, c: PublishCase, i) => {
          const outcome = outcomes[i];
          if (outcome?.outcome !== 'invalid')
            throw new Error(`expected InvalidPayload, got ${JSON.stringify(outcome)}`);
          expect(outcome.parameter).toBe(c.parameter);
          expect(outcome.rule).toBe(c.rule);
          expect(outcome.message).toContain(`${c.parameter} `);
          expect(outcome.message).toContain(`(${c.rule})`);
          // The protocol rejects the same payload at the same place: PHP checks what it checks.
          expect(checkPayload(action.name as ServerActionName, c.data)?.path).toBe(c.pointer);
        },
      );
    },
  );
});
