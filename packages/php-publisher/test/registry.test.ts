import { serverActionNames, serverActions } from '@postbode/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhpPackage } from '../src/generate-php-package.js';
import { phpConstantName, phpMethodName } from '../src/php-names.js';
import { runPhpJson } from './support/php.js';
import { PURE_PHP_RUNTIMES, usePhpRuntime } from './support/php-wasm.js';

interface Reflected {
  methods: Record<string, { name: string; type: string; optional: boolean }[]>;
  constants: Record<string, string | string[]>;
}

describe.each(PURE_PHP_RUNTIMES)(
  'every action of the registry, in the generated PHP on $name',
  (runtime) => {
    const run = usePhpRuntime(runtime);

    it('loads every class and interface of the package (each compiles on this version)', async () => {
      const expected = generatePhpPackage()
        .filter((file) => file.path.startsWith('src/') && file.path.endsWith('.php'))
        .map(
          (file) =>
            `Postbode\\${file.path.slice('src/'.length, -'.php'.length).replaceAll('/', '\\')}`,
        )
        .sort();
      expect(expected.length).toBeGreaterThanOrEqual(13);
      expect(await runPhpJson<string[]>('load-all.php', null, { php: run })).toEqual(expected);
    });

    let php: Reflected;
    beforeAll(async () => {
      php = await runPhpJson<Reflected>('registry.php', null, { php: run });
    });

    it('has exactly one Publisher method per action, and nothing else is public but the constructor, withSite and cursor', () => {
      const expected = serverActionNames.map(phpMethodName);
      expect(Object.keys(php.methods).sort()).toEqual(
        ['__construct', 'withSite', 'cursor', ...expected].sort(),
      );
    });

    it('has exactly one Actions constant with its name, and ALL lists them all', () => {
      const { ALL, ...constants } = php.constants;
      expect(constants).toEqual(
        Object.fromEntries(serverActionNames.map((name) => [phpConstantName(name), name])),
      );
      expect(ALL).toEqual([...serverActionNames]);
    });

    it.each(serverActionNames.map((name) => [name]))(
      '%s: Audience $to first, then one parameter per payload property, required first',
      (name) => {
        const payload = serverActions[name].payload;
        const required = new Set<string>(payload.required ?? []);
        const properties = Object.keys(payload.properties);
        const params = php.methods[phpMethodName(name)] ?? [];
        expect(params[0]).toEqual({ name: 'to', type: 'Postbode\\Audience', optional: false });
        const rest = params.slice(1);
        expect(rest.map((p) => p.name).sort()).toEqual([...properties].sort());
        for (const param of rest)
          expect(param.optional, param.name).toBe(!required.has(param.name));
        const firstOptional = rest.findIndex((p) => p.optional);
        if (firstOptional >= 0)
          expect(rest.slice(firstOptional).every((p) => p.optional)).toBe(true);
      },
    );
  },
);
