<?php

// The mixed-versions test (issue 15): runs the PHP generated from an earlier release of the
// protocol, kept as it was under test/fixtures/protocol-<version>/php (POSTBODE_PHP_DIR), as a
// backend still running it would. Deliberately stand-alone, not on bootstrap.php: it uses only
// the public API every kept release has (TokenIssuer::hs256()->issue(), new Publisher(new
// PhpRedisTransport($redis), site:), Audience::users/roles/with, one method per action with
// named arguments), so later changes to the test helpers cannot break an old package.
//
// Input: {"redisPort", "site", "secret", "userId", "cases": [{"method", "to": {"users"?,
// "roles"?}, "args", "dates"?}]}. Outputs {"token": a token for userId on site, "ids": [...]},
// or {"error": {"class", "message"}} when something throws.

declare(strict_types=1);

\error_reporting(-1);
\set_error_handler(static function (int $type, string $message, string $file, int $line): bool {
    throw new \ErrorException($message, 0, $type, $file, $line);
});

$phpDir = \getenv('POSTBODE_PHP_DIR');
if ($phpDir === false || $phpDir === '') {
    \file_put_contents('php://stderr', "FAIL: POSTBODE_PHP_DIR names the release's php/ directory\n");
    exit(1);
}
require_once $phpDir . '/autoload.php';

use Postbode\Audience;
use Postbode\Publisher;
use Postbode\TokenIssuer;
use Postbode\Transport\PhpRedisTransport;

$input = \json_decode((string) \file_get_contents('php://stdin'), true, 512, \JSON_THROW_ON_ERROR);

/** The Audience of a case's {"users", "roles"}. */
function audience(array $to): Audience
{
    $parts = [];
    if (isset($to['users'])) {
        $parts[] = Audience::users($to['users']);
    }
    if (isset($to['roles'])) {
        $parts[] = Audience::roles($to['roles']);
    }

    return \array_shift($parts)->with(...$parts);
}

try {
    $token = TokenIssuer::hs256($input['secret'])->issue($input['userId'], site: $input['site']);
    $redis = new \Redis();
    $redis->connect('127.0.0.1', $input['redisPort'], 5.0);
    $publisher = new Publisher(new PhpRedisTransport($redis), site: $input['site']);
    $ids = [];
    foreach ($input['cases'] as $case) {
        $args = $case['args'];
        foreach ($case['dates'] ?? [] as $name) {
            // Milliseconds as a \DateTimeImmutable, as applications pass times.
            $ms = $args[$name];
            $args[$name] = \DateTimeImmutable::createFromFormat('U.v', \sprintf('%d.%03d', \intdiv($ms, 1000), $ms % 1000));
        }
        $ids[] = $publisher->{$case['method']}(...(['to' => audience($case['to'])] + $args));
    }
    echo \json_encode(['token' => $token, 'ids' => $ids], \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE);
} catch (\Throwable $e) {
    echo \json_encode(['error' => ['class' => \get_class($e), 'message' => $e->getMessage()]], \JSON_THROW_ON_ERROR);
}
