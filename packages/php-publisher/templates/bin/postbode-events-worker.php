<?php

// A worker that drains the backend event stream (contracts 7 and 8) into your EventHandler.
//
//   php vendor/postbode/publisher/bin/postbode-events-worker.php --handler=worker-handler.php
//
// --handler=FILE       required: a PHP file that loads your application and returns an
//                      EventHandler (e.g. `return new App\ReceiptHandler($pdo);`), or a
//                      BatchEventHandler to get each batch in one handleBatch() call
// --redis=URL          redis://[:password@]host[:port][/db] (default: $POSTBODE_REDIS_URL, or
//                      redis://127.0.0.1:6379)
// --client=NAME        phpredis (default when ext-redis is loaded) or predis (load Predis in the
//                      handler file)
// --stream=NAME        the gateway's POSTBODE_EVENTS_STREAM (default postbode:events)
// --group=NAME         the consumer group (default postbode-workers)
// --consumer=NAME      this worker's name in the group (default host-pid)
// --batch=N            entries per batch (default 100), acknowledged with one XACK
// --block-ms=MS        how long to wait for new entries per read (default 5000)
// --min-idle-ms=MS     when a crashed worker's pending entries are claimed (default 60000)
// --max-deliveries=N   failed deliveries before the dead-letter stream (default 5)
// --dead-letter=NAME   the dead-letter stream (default: the stream and ':dead')
// --once               one batch, then exit (for cron); --drain: batches until one is empty
//
// Runs until SIGTERM or SIGINT (a clean stop with ext-pcntl). Logs JSON lines on stderr.
// Exit codes: 0 stopped or done, 1 Redis failed, 2 bad arguments.

declare(strict_types=1);

use Postbode\EventConsumer;
use Postbode\EventHandler;
use Postbode\EventStream\EventStreamFailed;
use Postbode\EventStream\PhpRedisEventStreamClient;
use Postbode\EventStream\PredisEventStreamClient;

require_once __DIR__ . '/../autoload.php';

$log = static function (string $level, string $message, array $context = []): void {
    \fwrite(\STDERR, \json_encode(['level' => $level, 'msg' => $message] + $context, \JSON_UNESCAPED_SLASHES) . "\n");
};
$fail = static function (string $message, int $code = 2) use ($log): never {
    $log('error', $message);
    exit($code);
};

$options = \getopt('', [
    'handler:', 'redis:', 'client:', 'stream:', 'group:', 'consumer:', 'batch:', 'block-ms:',
    'min-idle-ms:', 'max-deliveries:', 'dead-letter:', 'once', 'drain',
]);
$option = static fn (string $name): ?string => isset($options[$name]) && \is_string($options[$name]) ? $options[$name] : null;
$int = static function (string $name, int $default) use ($option, $fail): int {
    $value = $option($name);
    if ($value === null) {
        return $default;
    }
    if (\preg_match('/^\d+$/', $value) !== 1) {
        $fail(\sprintf('--%s must be a whole number, got "%s"', $name, $value));
    }

    return (int) $value;
};

$handlerFile = $option('handler') ?? $fail('--handler=FILE is required: a PHP file that returns your EventHandler');
if (!\is_file($handlerFile)) {
    $fail(\sprintf('--handler: no such file "%s"', $handlerFile));
}
$handler = require $handlerFile;
if (!$handler instanceof EventHandler) {
    $fail(\sprintf('--handler: "%s" must return an %s', $handlerFile, EventHandler::class));
}

$url = $option('redis') ?? (\getenv('POSTBODE_REDIS_URL') ?: 'redis://127.0.0.1:6379');
$parts = \parse_url($url);
if ($parts === false || !\in_array($parts['scheme'] ?? '', ['redis', 'tcp'], true) || !isset($parts['host'])) {
    $fail(\sprintf('--redis must look like redis://host:port/db, got "%s"', $url));
}
$clientName = $option('client') ?? (\extension_loaded('redis') ? 'phpredis' : 'predis');
try {
    $client = match ($clientName) {
        'phpredis' => (static function () use ($parts): PhpRedisEventStreamClient {
            $redis = new \Redis();
            $redis->connect($parts['host'], $parts['port'] ?? 6379, 5.0);
            if (isset($parts['pass'])) {
                $redis->auth(isset($parts['user']) ? [\rawurldecode($parts['user']), \rawurldecode($parts['pass'])] : \rawurldecode($parts['pass']));
            }
            $redis->select((int) \ltrim($parts['path'] ?? '/0', '/'));
            // Reads may block for --block-ms: no read timeout.
            $redis->setOption(\Redis::OPT_READ_TIMEOUT, -1);

            return new PhpRedisEventStreamClient($redis);
        })(),
        'predis' => new PredisEventStreamClient(new \Predis\Client(\str_replace('redis://', 'tcp://', $url), ['read_write_timeout' => 0])),
        default => $fail(\sprintf('--client must be phpredis or predis, got "%s"', $clientName)),
    };
} catch (\Throwable $e) {
    $fail(\sprintf('cannot connect to %s:%d: %s', $parts['host'], $parts['port'] ?? 6379, $e->getMessage()), 1);
}

$stream = $option('stream') ?? EventConsumer::DEFAULT_STREAM;
$consumer = new EventConsumer(
    $client,
    $handler,
    stream: $stream,
    group: $option('group') ?? EventConsumer::DEFAULT_GROUP,
    consumer: $option('consumer'),
    batch: $int('batch', EventConsumer::DEFAULT_BATCH),
    blockMs: $int('block-ms', EventConsumer::DEFAULT_BLOCK_MS),
    minIdleMs: $int('min-idle-ms', EventConsumer::DEFAULT_MIN_IDLE_MS),
    maxDeliveries: \max(1, $int('max-deliveries', EventConsumer::DEFAULT_MAX_DELIVERIES)),
    deadLetterStream: $option('dead-letter'),
    log: \Closure::fromCallable($log),
);

try {
    $consumer->ensureGroup();
    $log('info', 'event consumer started', ['stream' => $stream, 'consumer' => $consumer->consumerName(), 'client' => $clientName]);
    if (isset($options['once'])) {
        $log('info', 'batch done', ['settled' => $consumer->runOnce()]);
    } elseif (isset($options['drain'])) {
        $total = 0;
        while (($settled = $consumer->runOnce()) > 0) {
            $total += $settled;
        }
        $log('info', 'drained', ['settled' => $total]);
    } else {
        $consumer->run();
    }
} catch (EventStreamFailed $e) {
    $fail($e->getMessage(), 1);
}
exit(0);
