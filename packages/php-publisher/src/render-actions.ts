import { ALL_ACTIONS_CONSTANT, type PublisherModel } from './build-model.js';
import { startPhpFile } from './php-file.js';
import { phpDocText, phpString } from './php-names.js';

/** `Actions.php`: a constant per server action (`MESSAGE_CREATED = 'message.created'`). */
export function renderActions(model: PublisherModel): string {
  const w = startPhpFile({ namespace: model.namespace });
  w.doc([
    'The server actions of the Postbode protocol, one constant each. The browser receives each',
    'message as a socket.io event named after its action.',
  ]);
  w.block('final class Actions', () => {
    for (const action of model.actions) {
      w.doc([phpDocText(action.description)]);
      w.line(`public const ${action.constant} = ${phpString(action.name)};`);
      w.line();
    }
    w.doc(['Every action, sorted by name.']);
    w.line(`public const ${ALL_ACTIONS_CONSTANT} = [`);
    w.indented(() => {
      for (const action of model.actions) w.line(`self::${action.constant},`);
    });
    w.line('];');
    w.line();
    w.block('private function __construct()', () => {});
  });
  return w.toString();
}
