<?php

// Input: {"transport": "phpredis"|"predis"|"http"|"phpredis-pubsub"|"predis-pubsub",
// "redisPort"?, "gatewayUrl"?, "publishKey"?, "timeout"?, "stream"?, "channel"?,
// "requireSubscriber"?, "clientPrefix"? (a key prefix, and for phpredis a serializer, set on
// the client), "predisExceptions"? (default true), "site"?, "cursor"? (true: read
// $publisher->cursor() first, as a page does), "cases": [{"method", "to", "args", "dates"?}],
// "raw": [JSON strings handed to the transport as they are]}.
// Publishes through a real transport. Outputs {"ids": [...], "cursor"?: the cursor's JSON as a
// page embeds it} or, when something throws, {"error": {"class", "message", "httpStatus",
// "errorCode", "previous"}}.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';
require_once '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

use Postbode\Publisher;
use Postbode\PublishFailed;
use Postbode\Transport\HttpTransport;
use Postbode\Transport\PhpRedisPubSubTransport;
use Postbode\Transport\PhpRedisTransport;
use Postbode\Transport\PredisPubSubTransport;
use Postbode\Transport\PredisTransport;

$input = read_input();

/** A phpredis client, connected when a port is given. */
function phpredis(array $input): \Redis
{
    $redis = new \Redis();
    if (isset($input['redisPort'])) {
        $redis->connect('127.0.0.1', $input['redisPort'], 5.0);
    }
    if (isset($input['clientPrefix'])) {
        $redis->setOption(\Redis::OPT_PREFIX, $input['clientPrefix']);
        $redis->setOption(\Redis::OPT_SERIALIZER, \Redis::SERIALIZER_PHP);
    }

    return $redis;
}

function predis(array $input): Predis\Client
{
    return new Predis\Client(
        ['host' => '127.0.0.1', 'port' => $input['redisPort'], 'timeout' => 5.0],
        ['exceptions' => $input['predisExceptions'] ?? true]
            + (isset($input['clientPrefix']) ? ['prefix' => $input['clientPrefix']] : []),
    );
}

/** The named arguments that were given: the transports' defaults apply to the others. */
function given(array $input, string ...$names): array
{
    return \array_intersect_key($input, \array_flip($names));
}

try {
    $transport = match ($input['transport']) {
        'phpredis' => new PhpRedisTransport(phpredis($input), ...given($input, 'stream')),
        'predis' => new PredisTransport(predis($input), ...given($input, 'stream')),
        'phpredis-pubsub' => new PhpRedisPubSubTransport(phpredis($input), ...given($input, 'channel', 'requireSubscriber')),
        'predis-pubsub' => new PredisPubSubTransport(predis($input), ...given($input, 'channel', 'requireSubscriber')),
        'http' => new HttpTransport($input['gatewayUrl'], $input['publishKey'], $input['timeout'] ?? 5.0),
    };
    $publisher = new Publisher($transport, site: $input['site'] ?? null);
    $output = [];
    if ($input['cursor'] ?? false) {
        $output['cursor'] = \json_encode($publisher->cursor(), \JSON_THROW_ON_ERROR);
    }
    $output['ids'] = [];
    foreach ($input['cases'] ?? [] as $case) {
        $output['ids'][] = call_action($publisher, $case);
    }
    foreach ($input['raw'] ?? [] as $json) {
        $transport->publish($json);
    }
    write_output($output);
} catch (\Throwable $e) {
    write_output(['error' => [
        'class' => \get_class($e),
        'message' => $e->getMessage(),
        'httpStatus' => $e instanceof PublishFailed ? $e->httpStatus : null,
        'errorCode' => $e instanceof PublishFailed ? $e->errorCode : null,
        'previous' => $e->getPrevious() === null ? null : \get_class($e->getPrevious()),
    ]]);
}
