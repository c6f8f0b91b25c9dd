<?php

// Input: {"transport": "phpredis"|"predis"|"http", "redisPort"?, "gatewayUrl"?, "publishKey"?,
// "channel"?, "site"?, "requireSubscriber"?, "cases": [{"method", "to", "args", "dates"?}],
// "raw": [JSON strings handed to the transport as they are]}.
// Publishes through a real transport. Outputs {"ids": [...]} or, when something throws,
// {"error": {"class", "message", "httpStatus", "errorCode", "previous"}}.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';
require_once '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

use Postbode\Publisher;
use Postbode\PublishFailed;
use Postbode\Transport\HttpTransport;
use Postbode\Transport\PhpRedisTransport;
use Postbode\Transport\PredisTransport;

$input = read_input();
$channel = $input['channel'] ?? 'postbode';
try {
    $transport = match ($input['transport']) {
        'phpredis' => (static function () use ($input): PhpRedisTransport {
            $redis = new \Redis();
            if (isset($input['redisPort'])) {
                $redis->connect('127.0.0.1', $input['redisPort'], 5.0);
            }

            return new PhpRedisTransport($redis, $input['requireSubscriber'] ?? false);
        })(),
        'predis' => new PredisTransport(
            new Predis\Client(['host' => '127.0.0.1', 'port' => $input['redisPort'], 'timeout' => 5.0]),
            $input['requireSubscriber'] ?? false,
        ),
        'http' => new HttpTransport($input['gatewayUrl'], $input['publishKey'], $input['timeout'] ?? 5.0),
    };
    $publisher = new Publisher($transport, $channel, $input['site'] ?? null);
    $ids = [];
    foreach ($input['cases'] ?? [] as $case) {
        $ids[] = call_action($publisher, $case);
    }
    foreach ($input['raw'] ?? [] as $json) {
        $transport->publish($channel, $json);
    }
    write_output(['ids' => $ids]);
} catch (\Throwable $e) {
    write_output(['error' => [
        'class' => \get_class($e),
        'message' => $e->getMessage(),
        'httpStatus' => $e instanceof PublishFailed ? $e->httpStatus : null,
        'errorCode' => $e instanceof PublishFailed ? $e->errorCode : null,
        'previous' => $e->getPrevious() === null ? null : \get_class($e->getPrevious()),
    ]]);
}
