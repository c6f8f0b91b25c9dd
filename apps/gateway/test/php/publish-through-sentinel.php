<?php

// Publishes through Redis Sentinel with the generated PHP package, as the README shows: phpredis
// asks a Sentinel for the master and uses it as one Redis; Predis follows the master itself.
// argv: sentinel port, master name, user id, message body prefix. Prints the master's port.

declare(strict_types=1);

\error_reporting(-1);
\set_error_handler(static function (int $type, string $message): bool {
    throw new \ErrorException($message, 0, $type);
});

require_once __DIR__ . '/../../../../packages/php-publisher/php/autoload.php';
require_once '/usr/share/php/Predis/Autoloader.php';
\Predis\Autoloader::register();

use Postbode\Audience;
use Postbode\Publisher;
use Postbode\Transport\PhpRedisTransport;
use Postbode\Transport\PredisTransport;

[, $sentinelPort, $name, $user, $prefix] = $argv;

[$host, $port] = (new \RedisSentinel('127.0.0.1', (int) $sentinelPort))->getMasterAddrByName($name);
$redis = new \Redis();
$redis->connect($host, (int) $port);
(new Publisher(new PhpRedisTransport($redis)))
    ->messageCreated(Audience::user($user), $prefix . '-phpredis', 'c-1', '1', $prefix . '-phpredis', 1764250000000);

$client = new \Predis\Client(
    ['tcp://127.0.0.1:' . $sentinelPort],
    ['replication' => 'sentinel', 'service' => $name],
);
(new Publisher(new PredisTransport($client)))
    ->messageCreated(Audience::user($user), $prefix . '-predis', 'c-1', '1', $prefix . '-predis', 1764250000000);

echo \json_encode(['master' => (int) $port]), "\n";
