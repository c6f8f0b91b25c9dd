import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defineAction, Id, serverActionNames, Timestamp } from '@postbode/protocol';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../src/build-model.js';
import { generatePhpPackage } from '../src/generate-php-package.js';
import { runPhp } from './support/php.js';

/** An action with every kind of field and names PHP cannot take as they are. */
const Odd = defineAction(
  'odd.thing',
  Type.Object(
    {
      to: Id('Clashes with the audience parameter.'),
      this: Type.String({ minLength: 2, description: 'A reserved variable.' }),
      'mime-type': Type.String({ pattern: '^[a-z]+/[a-z]+$', description: 'Not an identifier.' }),
      flag: Type.Boolean({ description: 'A boolean.' }),
      ratio: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'A number.' }),
      mode: Type.Union([Type.Literal('a'), Type.Literal('b')]),
      groups: Type.Array(
        Type.Object(
          {
            name: Type.String({ maxLength: 3 }),
            members: Type.Array(Type.Object({ id: Id('x') }, { additionalProperties: false }), {
              minItems: 1,
            }),
            at: Type.Optional(Timestamp('y')),
          },
          { additionalProperties: false },
        ),
      ),
      note: Type.Optional(Type.String({ description: 'Ends with */ and "quotes".' })),
    },
    { additionalProperties: false },
  ),
  {
    description: 'An odd action */ with a comment closer.',
    example: {
      to: 't',
      this: 'th',
      'mime-type': 'a/b',
      flag: true,
      ratio: 0.5,
      mode: 'a',
      groups: [],
    },
  },
);

describe('buildModel', () => {
  it('reads the whole registry, sorted, with derived names', () => {
    const model = buildModel();
    expect(model.namespace).toBe('Postbode');
    expect(model.actions.map((a) => a.name)).toEqual([...serverActionNames]);
    const created = model.actions.find((a) => a.name === 'message.created');
    expect(created).toMatchObject({ method: 'messageCreated', constant: 'MESSAGE_CREATED' });
    expect(created?.params.map((p) => p.variable)).toEqual([
      'messageId',
      'conversationId',
      'senderId',
      'body',
      'sentAt',
      'attachments',
    ]);
    expect(created?.shapes.map((s) => s.method)).toEqual(['checkMessageCreatedAttachmentsItem']);
    expect(model.siteName).toEqual({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
    expect(model.userId).toEqual({ minLength: 1, maxLength: 128 });
    expect(model.roleName).toEqual({ minLength: 1, maxLength: 64 });
  });

  it('escapes parameter names PHP cannot take, required first', () => {
    const [odd] = buildModel({ actions: [Odd] }).actions;
    expect(odd?.params.map((p) => [p.field.property, p.variable])).toEqual([
      ['to', 'to_'],
      ['this', 'this_'],
      ['mime-type', 'mimeType'],
      ['flag', 'flag'],
      ['ratio', 'ratio'],
      ['mode', 'mode'],
      ['groups', 'groups'],
      ['note', 'note'],
    ]);
    expect(odd?.shapes.map((s) => s.method)).toEqual([
      'checkOddThingGroupsItem',
      'checkOddThingGroupsItemMembersItem',
    ]);
  });

  it('refuses names that would clash in PHP', () => {
    const a = defineAction('a.bC', Type.Object({}, { additionalProperties: false }), {
      description: 'a',
      example: {},
    });
    const b = defineAction('a.b.c', Type.Object({}, { additionalProperties: false }), {
      description: 'b',
      example: {},
    });
    expect(() => buildModel({ actions: [a, b] })).toThrow(
      /two Actions constants would both be named 'A_B_C'/,
    );
    const send = defineAction('with.site', Type.Object({}, { additionalProperties: false }), {
      description: 'c',
      example: {},
    });
    expect(() => buildModel({ actions: [send] })).toThrow(/Publisher methods would both be named/);
  });

  it('refuses a payload PHP could not check exactly', () => {
    const open = defineAction(
      'open.thing',
      Type.Object({ when: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
      { description: 'd', example: { when: '2025-01-01T00:00:00Z' } },
    );
    expect(() => buildModel({ actions: [open] })).toThrow(/keyword 'format'/);
  });
});

describe('generated PHP for every kind of field and awkward names', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postbode-odd-'));
    for (const file of generatePhpPackage({ actions: [Odd], namespace: 'Odd' })) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await writeFile(join(dir, file.path), file.contents);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is valid PHP that sends the schema names and checks every rule', async () => {
    const script = join(dir, 'odd.php');
    await writeFile(
      script,
      String.raw`<?php
declare(strict_types=1);
require __DIR__ . '/autoload.php';
final class Capture implements Odd\Transport\Transport {
    public array $sent = [];
    public function publish(string $json): void { $this->sent[] = $json; }
}
$capture = new Capture();
$publisher = new Odd\Publisher($capture);
$call = fn (array $args) => $publisher->oddThing(...(['to' => Odd\Audience::user(1)] + $args));
$valid = ['to_' => 5, 'this_' => 'th', 'mimeType' => 'image/png', 'flag' => false, 'ratio' => 1,
    'mode' => 'b', 'groups' => [['name' => 'abc', 'members' => [['id' => 9]], 'at' => 3]], 'note' => 'n'];
$call($valid);
$results = ['sent' => json_decode($capture->sent[0], true), 'errors' => []];
$bad = [
    ['this_' => 't'],
    ['mimeType' => 'image/png' . "\n"],
    ['ratio' => 0],
    ['ratio' => 1.5],
    ['ratio' => NAN],
    ['mode' => 'c'],
    ['groups' => [['name' => 'abcd', 'members' => [['id' => 1]]]]],
    ['groups' => [['name' => 'a', 'members' => []]]],
    ['groups' => [['name' => 'a', 'members' => [['id' => '']]]]],
    ['groups' => [['name' => 'a', 'members' => [['id' => 1, 'x' => 1]]]]],
    ['groups' => [['name' => 'a', 'members' => [['id' => 1]], 'at' => -1]]],
];
foreach ($bad as $change) {
    try {
        $call($change + $valid);
        $results['errors'][] = null;
    } catch (Odd\InvalidPayload $e) {
        $results['errors'][] = [$e->parameter, $e->rule];
    }
}
echo json_encode($results);
`,
    );
    for (const file of ['odd.php', 'src/Publisher.php', 'src/Actions.php']) {
      const lint = await runPhp(join(dir, file), { phpArgs: ['-l'] });
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    }
    const result = await runPhp(script);
    expect(result.stderr).toBe('');
    const { sent, errors } = JSON.parse(result.stdout);
    expect(sent.action).toBe('odd.thing');
    expect(sent.data).toEqual({
      to: '5',
      this: 'th',
      'mime-type': 'image/png',
      flag: false,
      ratio: 1,
      mode: 'b',
      groups: [{ name: 'abc', members: [{ id: '9' }], at: 3 }],
      note: 'n',
    });
    expect(errors).toEqual([
      ['$this_', 'minLength'],
      ['$mimeType', 'pattern'],
      ['$ratio', 'exclusiveMinimum'],
      ['$ratio', 'maximum'],
      ['$ratio', 'finite'],
      ['$mode', 'enum'],
      ["$groups[0]['name']", 'maxLength'],
      ["$groups[0]['members']", 'minItems'],
      ["$groups[0]['members'][0]['id']", 'minLength'],
      ["$groups[0]['members'][0]['x']", 'additionalProperties'],
      ["$groups[0]['at']", 'minimum'],
    ]);
  });
});
