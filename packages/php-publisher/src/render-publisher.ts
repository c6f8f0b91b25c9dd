import { assertNever } from './assert-never.js';
import type { ActionModel, ParamModel, PublisherModel, ShapeModel } from './build-model.js';
import type { CodeWriter } from './code-writer.js';
import { flatExpr, printExpr } from './php-expr.js';
import { startPhpFile } from './php-file.js';
import { phpDocText, phpString } from './php-names.js';
import { type PhpField, type PhpValue, phpTypes } from './php-type.js';
import { checkCall, keyPath, stringBoundArgs } from './render-check-call.js';

/** A short sentence of the rules of a value that its PHP type does not show, for PHPDoc. */
export function describeRules(value: PhpValue): string {
  switch (value.kind) {
    case 'id':
    case 'string': {
      const { minLength, maxLength } = value;
      const unit = value.kind === 'id' ? 'An id of ' : '';
      let rule = '';
      if (minLength !== undefined && maxLength !== undefined) {
        rule = `${minLength} to ${maxLength} characters.`;
      } else if (maxLength !== undefined) rule = `at most ${maxLength} characters.`;
      else if (minLength !== undefined) rule = `at least ${minLength} characters.`;
      if (rule === '') return value.kind === 'id' ? 'An id.' : '';
      return unit === '' ? capitalize(rule) : unit + rule;
    }
    case 'timestamp':
      return 'Milliseconds since the epoch (an int), or a \\DateTimeInterface.';
    case 'integer':
    case 'number': {
      const parts: string[] = [];
      if (value.minimum !== undefined) parts.push(`at least ${value.minimum}`);
      if (value.exclusiveMinimum !== undefined) parts.push(`more than ${value.exclusiveMinimum}`);
      if (value.maximum !== undefined) parts.push(`at most ${value.maximum}`);
      if (value.exclusiveMaximum !== undefined) parts.push(`less than ${value.exclusiveMaximum}`);
      return parts.length === 0 ? '' : `${capitalize(parts.join(' and '))}.`;
    }
    case 'enum':
      return `One of ${value.values.map(phpString).join(', ')}.`;
    case 'boolean':
      return '';
    case 'array': {
      const { minItems, maxItems } = value;
      if (minItems !== undefined && maxItems !== undefined) {
        return `${minItems} to ${maxItems} items.`;
      }
      if (maxItems !== undefined) return `At most ${maxItems} items.`;
      if (minItems !== undefined) return `At least ${minItems} items.`;
      return '';
    }
    case 'object':
      return '';
    default:
      return assertNever(value);
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The PHPDoc text of a field: its description and its rules. */
function fieldDoc(field: PhpField): string {
  return phpDocText([field.description ?? '', describeRules(field.value)].join(' '));
}

/** Writes `$data = [...]` for required fields and `if (... !== null)` for optional ones. */
function writeDataBuilding(
  w: CodeWriter,
  fields: readonly { field: PhpField; value: string; path: string }[],
  checkers: ReadonlyMap<PhpValue, string>,
  isPresent: (value: string, property: string) => string,
): void {
  const required = fields.filter((entry) => entry.field.required);
  const optional = fields.filter((entry) => !entry.field.required);
  const check = (entry: (typeof fields)[number]) =>
    checkCall(entry.field.value, { path: entry.path, value: entry.value, checkers });
  if (required.length === 0) w.line('$data = [];');
  else {
    w.line('$data = [');
    w.indented(() => {
      for (const entry of required) {
        w.lines(
          ...printExpr(check(entry), {
            before: `${phpString(entry.field.property)} => `,
            after: ',',
            column: w.column,
          }),
        );
      }
    });
    w.line('];');
  }
  for (const entry of optional) {
    w.block(
      `if (${isPresent(entry.value, entry.field.property)})`,
      () => {
        w.lines(
          ...printExpr(check(entry), {
            before: `$data[${phpString(entry.field.property)}] = `,
            after: ';',
            column: w.column,
          }),
        );
      },
      { sameLine: true },
    );
  }
}

/** A parameter as declared in the method signature, e.g. `?string $body = null`. */
export function parameterDeclaration(param: ParamModel): string {
  const type = phpTypes(param.field.value).native;
  return param.field.required
    ? `${type} $${param.variable}`
    : `${type.includes('|') ? `${type}|null` : `?${type}`} $${param.variable} = null`;
}

function writeSignature(w: CodeWriter, action: ActionModel): void {
  const params = ['Audience $to', ...action.params.map(parameterDeclaration)];
  const flat = `public function ${action.method}(${params.join(', ')}): string`;
  if (w.column + flat.length <= 120) {
    w.line(flat).line('{');
    return;
  }
  w.line(`public function ${action.method}(`);
  w.indented(() => {
    for (const param of params) w.line(`${param},`);
  });
  w.line('): string {');
}

function writeActionMethod(w: CodeWriter, action: ActionModel, checkers: Map<PhpValue, string>) {
  const docs = [
    phpDocText(action.description),
    '',
    `Publishes "${action.name}" (Actions::${action.constant}).`,
    '',
    '@param Audience $to who receives it',
    ...action.params.map((param) => {
      const { doc } = phpTypes(param.field.value);
      const type = param.field.required ? doc : `${doc}|null`;
      return `@param ${type} $${param.variable} ${fieldDoc(param.field)}`.trimEnd();
    }),
    '@return string the message id (the browser sees it as meta.id)',
    '@throws InvalidPayload when an argument breaks a rule of the protocol; nothing was sent',
    '@throws PublishFailed when the transport could not publish the message',
  ];
  w.blank().doc(docs);
  writeSignature(w, action);
  w.indented(() => {
    writeDataBuilding(
      w,
      action.params.map((param) => ({
        field: param.field,
        value: `$${param.variable}`,
        path: phpString(`$${param.variable}`),
      })),
      checkers,
      (value) => `${value} !== null`,
    );
    w.line().line(`return $this->send(Actions::${action.constant}, $data, $to);`);
  });
  w.line('}');
}

function writeShapeChecker(w: CodeWriter, shape: ShapeModel, checkers: Map<PhpValue, string>) {
  const fields = shape.value.fields;
  const list = (names: readonly string[]) => `[${names.map(phpString).join(', ')}]`;
  w.blank().doc([
    `Checks ${phpDocText(phpTypes(shape.value).doc)}.`,
    '',
    '@return array<string, mixed>',
  ]);
  w.block(`private static function ${shape.method}(mixed $value, string $path): array`, () => {
    const required = fields.filter((f) => f.required).map((f) => f.property);
    const optional = fields.filter((f) => !f.required).map((f) => f.property);
    w.line(`$value = Check::shape($path, $value, ${list(required)}, ${list(optional)});`);
    writeDataBuilding(
      w,
      fields.map((field) => ({
        field,
        value: `$value[${phpString(field.property)}]`,
        path: keyPath('$path', field.property),
      })),
      checkers,
      (_value, property) => `\\array_key_exists(${phpString(property)}, $value)`,
    );
    w.line().line('return $data;');
  });
}

function writeClassHeader(w: CodeWriter, model: PublisherModel): void {
  const example = model.actions.find((action) => action.name === 'message.created');
  w.doc([
    'Publishes Postbode messages: one method per server action of the protocol. Each checks',
    'its arguments (InvalidPayload, nothing sent), builds the envelope and hands it to the',
    'transport (PublishFailed when that fails), and returns the message id. With a Redis',
    "transport it appends to the gateway's stream (durable), and cursor() gives the page its",
    'starting point.',
    '',
    '<code>',
    '$redis = new \\Redis();',
    "$redis->connect('127.0.0.1', 6379);",
    "$publisher = new Publisher(new Transport\\PhpRedisTransport($redis), site: 'nl');",
    ...(example === undefined
      ? []
      : [
          `$id = $publisher->${example.method}(`,
          '    to: Audience::user(42),',
          "    messageId: 'm-1',",
          "    conversationId: 'c-9',",
          '    senderId: 7,',
          "    body: 'hoi',",
          '    sentAt: new \\DateTimeImmutable(),',
          ');',
        ]),
    '</code>',
  ]);
}

function writeConstructor(w: CodeWriter, model: PublisherModel): void {
  const siteArgs = stringBoundArgs(model.siteName).map(flatExpr).join(', ');
  w.doc([
    '@param Transport   $transport how messages reach the gateway: the Redis stream (durable), the',
    '                              gateway over HTTP (durable), or a Redis channel (live only)',
    `@param string|null $site      the site (tenant) of every message; null: the gateway's default ("${model.defaultSite}")`,
    '@throws InvalidPayload when $site is not a valid site name',
  ]);
  w.line('public function __construct(');
  w.indented(() => {
    w.line('private readonly Transport $transport,');
    w.line('private readonly ?string $site = null,');
  });
  w.line(') {');
  w.indented(() => {
    // The channel was the second parameter before the stream: a call written for that would
    // otherwise publish every message to a site named after the channel, silently.
    w.block(
      'if (\\func_num_args() > 2)',
      () => {
        w.line('throw new \\ArgumentCountError(');
        w.indented(() =>
          w.line(
            "'Publisher takes ($transport, $site): a stream or a channel is an argument of the transport',",
          ),
        );
        w.line(');');
      },
      { sameLine: true },
    );
    w.block('if ($site !== null)', () => w.line(`Check::string('$site', $site, ${siteArgs});`), {
      sameLine: true,
    });
  });
  w.line('}');
  w.blank().doc([
    "The same publisher for another site (tenant); null for the gateway's default site.",
    '',
    '@throws InvalidPayload when $site is not a valid site name',
  ]);
  w.block('public function withSite(?string $site): self', () => {
    w.line('return new self($this->transport, $site);');
  });
}

function writeCursor(w: CodeWriter): void {
  w.blank().doc([
    "The stream's cursor now: its epoch and its last entry id, read in one Redis round trip",
    '(the epoch is started when no gateway has yet). Read it BEFORE the query of the data the',
    'page shows, and give it to the browser with the page: the browser connects with it and is',
    'sent every message published since, so one published between the query and the',
    'connection is not missed. JSON-encodes to {"epoch": "…", "offset": "…"}.',
    '',
    '<code>',
    '$cursor = $publisher->cursor();',
    '$messages = $repository->messagesOf($conversationId);',
    '// <script>window.POSTBODE_CURSOR = <?= json_encode($cursor) ?>;</script>',
    '</code>',
    '',
    '@throws CursorUnavailable when the transport does not append to the stream itself',
    '                          (HttpTransport, a pub/sub transport), or Redis failed',
  ]);
  w.block('public function cursor(): Cursor', () => {
    w.block(
      'if (!$this->transport instanceof StreamTransport)',
      () => w.line('throw CursorUnavailable::notAStream($this->transport);'),
      { sameLine: true },
    );
    w.line().line('return $this->transport->cursor();');
  });
}

function writeSend(w: CodeWriter): void {
  w.blank().doc(['@param array<string, mixed> $data']);
  w.block('private function send(string $action, array $data, Audience $to): string', () => {
    w.line('$ts = Envelope::now();');
    w.line('$id = Envelope::newId($ts);');
    w.line('$json = Envelope::encode($action, $data, $to, $this->site, $id, $ts);');
    w.line();
    w.block('try', () => w.line('$this->transport->publish($json);'), {
      sameLine: true,
      closer: '} catch (PublishFailed $e) {',
    });
    w.indented(() => w.line('throw $e;'));
    w.line('} catch (\\Throwable $e) {');
    w.indented(() => {
      w.line('throw new PublishFailed(');
      w.indented(() => {
        w.line("\\sprintf('publishing %s failed: %s', $action, $e->getMessage()),");
        w.line('previous: $e,');
      });
      w.line(');');
    });
    w.line('}');
    w.line().line('return $id;');
  });
}

/**
 * `Publisher.php`: one public method per server action, named by camel-casing the action,
 * taking `Audience $to` and one typed parameter per payload property (named as in the schema,
 * required first), checking every rule, and publishing the envelope.
 */
export function renderPublisher(model: PublisherModel): string {
  const w = startPhpFile({
    namespace: model.namespace,
    uses: [
      `${model.namespace}\\Transport\\StreamTransport`,
      `${model.namespace}\\Transport\\Transport`,
    ],
  });
  writeClassHeader(w, model);
  w.block('final class Publisher', () => {
    writeConstructor(w, model);
    writeCursor(w);
    const checkers = new Map<PhpValue, string>();
    for (const action of model.actions) {
      for (const shape of action.shapes) checkers.set(shape.value, shape.method);
    }
    for (const action of model.actions) writeActionMethod(w, action, checkers);
    writeSend(w);
    for (const action of model.actions) {
      for (const shape of action.shapes) writeShapeChecker(w, shape, checkers);
    }
  });
  return w.toString();
}
