import { backendEventActions } from './render-event-handler.js';

/**
 * The README's section on the backend event stream (contract 8): the EventConsumer, its
 * guarantees, an idempotent handler, and a worker from install to running under systemd.
 */
export function renderReadmeEvents(namespace: string): string {
  const rows = backendEventActions()
    .map(
      (action) =>
        `| \`${action.name}\` | \`${action.method}(BackendEvent $event)\` | \`${action.dataType.replaceAll('|', '\\|')}\` |`,
    )
    .join('\n');
  return `## Client events: the backend event stream and \`EventConsumer\` (contract 8)

Browsers send receipts (\`message.delivered\`, \`message.read\`) over their socket; the gateway
appends each to the Redis stream \`postbode:events\` (\`POSTBODE_EVENTS_STREAM\`) with the user and
site **from the token**, and acknowledges the browser once Redis has it. Presence transitions
(\`presence.online\` / \`presence.offline\`) are entries of the same stream. A worker drains it with
\`${namespace}\\EventConsumer\`: a consumer group (\`postbode-workers\`), batches, and one method
of your \`EventHandler\` per action (generated from the protocol):

| action | \`EventHandler\` method | \`$event->data\` |
| --- | --- | --- |
${rows}
| any other | \`unknownAction(BackendEvent $event)\` | what it carries |

\`BackendEvent\` has \`action\`, \`site\`, \`user\`, \`id\` (idempotency id), \`ts\` (ms), \`node\`,
\`data\` (array), \`streamId\` and \`deliveries\`.

**Delivery is at least once.** An entry is acknowledged (\`XACK\`) only after your method
returned; the entries of one batch that were handled are acknowledged together, with one
\`XACK <stream> <group> <id> <id> …\` after the last of them. A worker that crashes (or is SIGKILLed) leaves its entries pending; once they have been
idle \`minIdleMs\` (default 60000 ms, \`--min-idle-ms\`) another worker claims them with
\`XAUTOCLAIM\` and they are handled again. A method that throws leaves the entry pending too; on its
\`maxDeliveries\`-th failed delivery (default 5, \`--max-deliveries\`) it moves to the dead-letter
stream \`postbode:events:dead\` with \`entry\`, \`deliveries\` and \`error\` fields, and is
acknowledged. An entry that cannot be read (a field missing, \`data\` not JSON) goes there at once.
An action this package does not know goes to \`unknownAction()\`: return to acknowledge it
(after logging it), throw to have it retried and dead-lettered. So **make every method idempotent
by \`$event->id\`** (the browser re-sends with the same id after a reconnection, and a worker may
be killed between your write and its \`XACK\`):

\`\`\`php
<?php
use ${namespace}\\BackendEvent;
use ${namespace}\\EventHandler;

final class ReceiptHandler implements EventHandler
{
    public function __construct(private \\PDO $db) {}

    public function messageRead(BackendEvent $event): void
    {
        // The id is the key: a second delivery of the same event changes nothing.
        $seen = $this->db->prepare('INSERT IGNORE INTO handled_events (id) VALUES (?)');
        $seen->execute([$event->id]);
        if ($seen->rowCount() === 0) {
            return;
        }
        $this->db->prepare('UPDATE conversation_members SET last_read_message_id = ?
            WHERE conversation_id = ? AND user_id = ? AND site = ?')
            ->execute([$event->data['lastReadMessageId'], $event->data['conversationId'], $event->user, $event->site]);
    }

    public function messageDelivered(BackendEvent $event): void { /* the same, per messageIds */ }
    public function presenceOnline(BackendEvent $event): void {}
    public function presenceOffline(BackendEvent $event): void {}
    public function unknownAction(BackendEvent $event): void
    {
        error_log("postbode: unknown event {$event->action} {$event->id}"); // acknowledged
    }
}
\`\`\`

(Wrap the marker and the update in one transaction when both must happen or neither.)

### Batches: \`BatchEventHandler\`, one \`XACK\` per batch

Each read takes up to \`batch\` entries (default 100, \`--batch\`): first those other workers left
pending, then new ones. With an \`EventHandler\` the consumer calls one method per entry, in stream
order, and then acknowledges every entry whose method returned with **one \`XACK\`**. To do the
work of a whole batch at once (one Redis pipeline, one multi-row \`INSERT\`, one transaction),
implement \`${namespace}\\BatchEventHandler\` (it extends \`EventHandler\`): the consumer then
calls only \`handleBatch(array $events): array\` with every readable entry of the read, as a
\`list<BackendEvent>\` in stream order, and acknowledges the batch with one \`XACK\` when it returns.

- Return the entries that failed, keyed by \`$event->streamId\` (\`[$event->streamId => $exception]\`),
  or \`[]\`: the failed ones are not acknowledged, and are delivered again, then dead-lettered after
  \`maxDeliveries\`, exactly as when a method throws. Throwing fails the whole batch (no entry is
  acknowledged; each is delivered again).
- Idempotency by \`$event->id\` matters more, not less: a worker killed after your writes and
  before the \`XACK\` hands the **whole batch** to another worker (\`XAUTOCLAIM\`). Skip the ids you
  have seen in the same statement that writes them.
- The per-action methods stay your handler's contract for one entry; \`EventRouter::dispatch($this,
  $event)\` calls them, e.g. for the actions you do not batch.

\`\`\`php
<?php
use ${namespace}\\BackendEvent;
use ${namespace}\\BatchEventHandler;
use ${namespace}\\EventRouter;

final class BatchReceiptHandler implements BatchEventHandler
{
    public function __construct(private \\PDO $db) {}

    public function handleBatch(array $events): array
    {
        $reads = array_values(array_filter($events, fn (BackendEvent $e): bool => $e->action === 'message.read'));
        if ($reads !== []) {
            $this->db->beginTransaction();
            // Which ids were handled before: one query for the batch.
            $in = implode(',', array_fill(0, count($reads), '?'));
            $seen = $this->db->prepare("SELECT id FROM handled_events WHERE id IN ($in) FOR UPDATE");
            $seen->execute(array_map(fn (BackendEvent $e): string => $e->id, $reads));
            $old = array_flip($seen->fetchAll(\\PDO::FETCH_COLUMN));
            $new = array_values(array_filter($reads, fn (BackendEvent $e): bool => !isset($old[$e->id])));
            // ... then one multi-row INSERT of the new ids into handled_events and one
            // multi-row write of their receipts ...
            $this->db->commit();
        }
        foreach ($events as $event) {
            if ($event->action !== 'message.read') {
                EventRouter::dispatch($this, $event); // one by one
            }
        }
        return []; // none failed
    }

    public function messageRead(BackendEvent $event): void { $this->handleBatch([$event]); }
    public function messageDelivered(BackendEvent $event): void { /* ... */ }
    public function presenceOnline(BackendEvent $event): void {}
    public function presenceOffline(BackendEvent $event): void {}
    public function unknownAction(BackendEvent $event): void {}
}
\`\`\`

The demo's PHP worker (\`apps/demo/php/receipt-handler.php\` in the Postbode repository) is one:
four phpredis pipelines per batch, however many receipts it holds. Batches are as large as what
is waiting, up to \`batch\`: a busy stream fills them, a quiet one hands over one or two entries.

### A worker, from install to running under a process supervisor

1. Install this package (above) and phpredis (\`apt install php-redis\`) or Predis.
2. A handler file that loads your application and returns your handler, e.g.
   \`/srv/chat/worker-handler.php\`:
   \`\`\`php
   <?php
   require __DIR__ . '/vendor/autoload.php';
   return new App\\ReceiptHandler(new PDO('mysql:host=127.0.0.1;dbname=chat', 'chat', getenv('DB_PASSWORD')));
   \`\`\`
3. Try it once: \`php vendor/postbode/publisher/bin/postbode-events-worker.php
   --handler=/srv/chat/worker-handler.php --redis=redis://127.0.0.1:6379 --once\` (one batch of up
   to \`--batch\` entries, then exit; \`--drain\`: batches until one is empty). That is also the
   cron mode: \`* * * * * php .../postbode-events-worker.php --handler=... --drain\`.
4. Run it for good under systemd, \`/etc/systemd/system/postbode-events-worker@.service\`:
   \`\`\`ini
   [Unit]
   Description=Postbode event worker %i
   After=network-online.target redis-server.service

   [Service]
   User=www-data
   WorkingDirectory=/srv/chat
   Environment=POSTBODE_REDIS_URL=redis://127.0.0.1:6379
   ExecStart=/usr/bin/php vendor/postbode/publisher/bin/postbode-events-worker.php --handler=/srv/chat/worker-handler.php --consumer=%H-%i
   Restart=always
   RestartSec=2
   KillSignal=SIGTERM
   TimeoutStopSec=30

   [Install]
   WantedBy=multi-user.target
   \`\`\`
   \`systemctl enable --now postbode-events-worker@1 postbode-events-worker@2\` runs two workers
   in the group; \`journalctl -u 'postbode-events-worker@*'\` shows their JSON log lines.

**Stopping.** With ext-pcntl (Debian's php-cli has it) SIGTERM and SIGINT stop the worker
cleanly: the entry in hand (or, with a \`BatchEventHandler\`, the batch in hand) is finished and
acknowledged, the rest of its batch stays pending and is
claimed by another worker after \`minIdleMs\`, and the process exits 0 (within \`--block-ms\`,
default 5 s, when it was waiting for entries). Without ext-pcntl the signal ends the process at
once, like a crash: nothing is lost, its pending entries are handled again after \`minIdleMs\`.
Give each worker a stable \`--consumer\` name, so that a restarted worker takes its own pending
entries back; delete consumers you retire (\`XGROUP DELCONSUMER\`). The stream is not trimmed by
the gateway: trim what every group has read, e.g. \`XTRIM postbode:events MINID <oldest pending>\`
from cron.

**Typing never reaches PHP.** The client action \`typing\` is relayed by the gateway to one
user of the same site (as \`typing.changed\`) and never stored. By default a user may send it to
any user of the site; to narrow that, sign the users it may reach in the \`relayTo\` claim:
\`$issuer->issue($userId, site: 'nl', extraClaims: ['relayTo' => ['42', '43']])\` (an empty
list: nobody). Anything else is refused with \`UNAUTHORIZED\`.

In code: \`new EventConsumer(new EventStream\\PhpRedisEventStreamClient($redis), $handler,
minIdleMs: 60000, maxDeliveries: 5)\` (or \`PredisEventStreamClient\`), then \`->run()\` or
\`->runOnce()\`.

`;
}
