<?php

// Shared by the PHP test scripts: loads the generated package through its own autoload.php
// (as an application without composer would) and offers tiny assertion helpers. Each script
// exits non-zero when one of its checks fails; vitest runs them and reads their JSON output.

declare(strict_types=1);

use Postbode\Transport\Transport;

\error_reporting(-1);
// Warnings fail the tests, as in a strict application; those silenced with @ do not.
\set_error_handler(static function (int $type, string $message, string $file, int $line): bool {
    if ((\error_reporting() & $type) === 0) {
        return false;
    }
    throw new \ErrorException($message, 0, $type, $file, $line);
});

$phpDir = \getenv('POSTBODE_PHP_DIR') ?: __DIR__ . '/../../php';
require_once $phpDir . '/autoload.php';

/** Records what a Publisher hands to its transport instead of sending it. */
final class CaptureTransport implements Transport
{
    /** @var list<string> the envelopes, JSON-encoded */
    public array $sent = [];

    public function publish(string $json): void
    {
        $this->sent[] = $json;
    }
}

/**
 * Reads the JSON input: standard input on the command line, the request body where PHP runs
 * without the CLI (PHP in WebAssembly, test/support/php-wasm.ts).
 */
function read_input(): mixed
{
    $input = \PHP_SAPI === 'cli' ? 'php://stdin' : 'php://input';

    return \json_decode((string) \file_get_contents($input), true, 512, \JSON_THROW_ON_ERROR);
}

/** Writes JSON to standard output. */
function write_output(mixed $value): void
{
    echo \json_encode($value, \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE);
}

/** Exits non-zero with a message on standard error. */
function fail(string $message): never
{
    \file_put_contents('php://stderr', "FAIL: $message\n");
    exit(1);
}

/** Builds an Audience from its JSON form {"users": [...], "roles": [...], "all": true}. */
function audience_from(array $to): Postbode\Audience
{
    $parts = [];
    if (isset($to['users'])) {
        $parts[] = Postbode\Audience::users($to['users']);
    }
    if (isset($to['roles'])) {
        $parts[] = Postbode\Audience::roles($to['roles']);
    }
    if (($to['all'] ?? false) === true) {
        $parts[] = Postbode\Audience::everyone();
    }
    if ($parts === []) {
        fail('a case without an audience');
    }

    return \array_shift($parts)->with(...$parts);
}

/**
 * Calls a Publisher method with named arguments from JSON: {"method", "to", "args"}.
 *
 * @return string the message id
 */
function call_action(Postbode\Publisher $publisher, array $case): string
{
    $args = $case['args'];
    foreach ($case['dates'] ?? [] as $name) {
        // Milliseconds given as JSON become a \DateTimeImmutable, to exercise the conversion.
        $args[$name] = \DateTimeImmutable::createFromFormat('U.v', \sprintf('%d.%03d', intdiv($args[$name], 1000), $args[$name] % 1000));
    }

    return $publisher->{$case['method']}(...(['to' => audience_from($case['to'])] + $args));
}
