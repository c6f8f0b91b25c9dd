import {
  type ClientActionName,
  clientActionNames,
  clientActions,
  PRESENCE_EVENT_ACTIONS,
} from '@postbode/protocol';
import type { PublisherModel } from './build-model.js';
import { startPhpFile } from './php-file.js';
import { phpDocText, phpMethodName, phpString } from './php-names.js';

/** One action of the backend event stream a handler gets: its name, method and data shape. */
export interface BackendEventAction {
  /** The `action` field, e.g. `message.read`. */
  name: string;
  /** The handler method, derived by {@link phpMethodName}: `messageRead`. */
  method: string;
  description: string;
  /** The PHPDoc type of `$event->data`. */
  dataType: string;
}

/** The PHPDoc type of one JSON Schema value (the shapes client actions use), `mixed` otherwise. */
function phpDocTypeOf(schema: Record<string, unknown>): string {
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'array':
      return `list<${phpDocTypeOf((schema.items ?? {}) as Record<string, unknown>)}>`;
    default:
      return 'mixed';
  }
}

function dataShape(payload: Record<string, unknown>): string {
  const properties = (payload.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((payload.required ?? []) as string[]);
  const fields = Object.keys(properties).map(
    (key) => `${key}${required.has(key) ? '' : '?'}: ${phpDocTypeOf(properties[key] ?? {})}`,
  );
  return `array{${fields.join(', ')}}`;
}

/**
 * What a backend worker handles, sorted by name: each client action routed to the backend
 * (contract 8) and each presence transition (contract 7).
 */
export function backendEventActions(): BackendEventAction[] {
  const backend = clientActionNames.filter(
    (name: ClientActionName) => clientActions[name].route === 'backend',
  );
  const actions: BackendEventAction[] = backend.map((name) => ({
    name,
    method: phpMethodName(name),
    description: clientActions[name].description,
    dataType: dataShape(clientActions[name].payload as unknown as Record<string, unknown>),
  }));
  actions.push(
    {
      name: PRESENCE_EVENT_ACTIONS.online,
      method: phpMethodName(PRESENCE_EVENT_ACTIONS.online),
      description: 'A user came online on the site (its first connection, after the grace).',
      dataType: 'array{reason: string}',
    },
    {
      name: PRESENCE_EVENT_ACTIONS.offline,
      method: phpMethodName(PRESENCE_EVENT_ACTIONS.offline),
      description: 'A user went offline on the site (its last connection ended, after the grace).',
      dataType: 'array{reason: string, lastSeenAt?: int}',
    },
  );
  return actions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `EventHandler.php`: the interface a backend worker implements, one method per action. */
export function renderEventHandler(model: PublisherModel): string {
  const w = startPhpFile({ namespace: model.namespace });
  w.doc([
    'What a backend worker does with each entry of the backend event stream, one method per',
    "action (generated from the protocol). EventConsumer calls the method of the entry's action",
    'and acknowledges the entry once it returns; a method that throws leaves the entry pending',
    '(delivered again, then dead-lettered). Delivery is at least once: skip an `$event->id` you',
    'have already handled. To take a whole batch at once (one pipeline, one multi-row',
    'statement), implement BatchEventHandler, which extends this interface.',
  ]);
  w.block('interface EventHandler', () => {
    for (const action of backendEventActions()) {
      w.doc([
        `\`${action.name}\`: ${phpDocText(action.description)}`,
        '',
        `@param BackendEvent $event its \`data\` is ${action.dataType}`,
      ]);
      w.line(`public function ${action.method}(BackendEvent $event): void;`);
      w.line();
    }
    w.doc([
      'An action this package does not know (a newer gateway, or a renamed action). Return to',
      'acknowledge it as handled (e.g. after logging it), or throw to have it delivered again and',
      'then moved to the dead-letter stream.',
    ]);
    w.line('public function unknownAction(BackendEvent $event): void;');
  });
  return w.toString();
}

/** `EventRouter.php`: calls the handler method of an entry's action. */
export function renderEventRouter(model: PublisherModel): string {
  const w = startPhpFile({ namespace: model.namespace });
  w.doc(["Calls the EventHandler method of an entry's `action` (generated from the protocol)."]);
  w.block('final class EventRouter', () => {
    w.doc(['Every action the EventHandler has a method for, sorted by name.']);
    w.line('public const ACTIONS = [');
    w.indented(() => {
      for (const action of backendEventActions()) w.line(`${phpString(action.name)},`);
    });
    w.line('];');
    w.line();
    w.block(
      'public static function dispatch(EventHandler $handler, BackendEvent $event): void',
      () => {
        w.line('match ($event->action) {');
        w.indented(() => {
          for (const action of backendEventActions()) {
            w.line(`${phpString(action.name)} => $handler->${action.method}($event),`);
          }
          w.line('default => $handler->unknownAction($event),');
        });
        w.line('};');
      },
    );
    w.line();
    w.block('private function __construct()', () => {});
  });
  return w.toString();
}
