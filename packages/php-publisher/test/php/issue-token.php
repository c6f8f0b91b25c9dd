<?php

// Input: {"algorithm": "hs256"|"rs256"|"es256", "key", "keyId"?, "count"?, "issue": {named
// arguments of issue()}}. Outputs {"tokens": [...]} or, when the factory or issue() throws,
// {"error": {"class", "message", "postbode" (a Postbode\PostbodeException?), "errorCode"}}.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

use Postbode\PostbodeException;
use Postbode\TokenIssuer;

$input = read_input();
try {
    $issuer = match ($input['algorithm']) {
        'hs256' => TokenIssuer::hs256($input['key'], keyId: $input['keyId'] ?? null),
        'rs256' => TokenIssuer::rs256($input['key'], keyId: $input['keyId'] ?? null),
        'es256' => TokenIssuer::es256($input['key'], keyId: $input['keyId'] ?? null),
    };
    $tokens = [];
    for ($i = 0; $i < ($input['count'] ?? 1); $i++) {
        $tokens[] = $issuer->issue(...$input['issue']);
    }
    write_output(['tokens' => $tokens]);
} catch (\Throwable $e) {
    write_output(['error' => [
        'class' => \get_class($e),
        'message' => $e->getMessage(),
        'postbode' => $e instanceof PostbodeException,
        'errorCode' => \property_exists($e, 'errorCode') ? $e->errorCode : null,
    ]]);
}
