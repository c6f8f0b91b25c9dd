<?php

// Input: {"client": "phpredis"|"predis", "redisPort", "site", "calls": [{"method", "args"}]}.
// Calls Postbode\Presence's methods in order on a real client. Outputs {"results": [...]}: each
// method's return value, with every array as a list of [key, value] pairs (so the order and the
// keys PHP made are seen exactly), or {"error": {"class", "message"}} when one throws.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';
require_once '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

use Postbode\Presence;

$input = read_input();
if ($input['client'] === 'phpredis') {
    $redis = new \Redis();
    $redis->connect('127.0.0.1', $input['redisPort'], 5.0);
} else {
    $redis = new Predis\Client(['host' => '127.0.0.1', 'port' => $input['redisPort'], 'timeout' => 5.0]);
}

/** An array as [key, value] pairs: keys and order exactly as PHP has them. */
function pairs(mixed $value): mixed
{
    if (!\is_array($value)) {
        return $value;
    }
    $pairs = [];
    foreach ($value as $key => $item) {
        $pairs[] = [$key, $item];
    }

    return $pairs;
}

try {
    $presence = new Presence($redis, site: $input['site']);
    $results = [];
    foreach ($input['calls'] as $call) {
        $results[] = pairs($presence->{$call['method']}(...$call['args']));
    }
    write_output(['results' => $results]);
} catch (\Throwable $e) {
    write_output(['error' => ['class' => $e::class, 'message' => $e->getMessage()]]);
}
