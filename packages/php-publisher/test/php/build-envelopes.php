<?php

// Input: {"cases": [{"method", "to", "args", "dates"?, "site"?, "expect": "ok"|"invalid"}]}.
// Calls each Publisher method with a capturing transport; outputs per case the envelope JSON
// (ok) or the InvalidPayload's parameter, rule and message (invalid). Exits 1 when a case's
// outcome is not the expected one, when an invalid call sent anything, or when the returned
// id is not the envelope's.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

use Postbode\InvalidPayload;
use Postbode\Publisher;

$input = read_input();
$results = [];
$failures = [];
foreach ($input['cases'] as $index => $case) {
    $transport = new CaptureTransport();
    $publisher = new Publisher($transport, $case['site'] ?? null);
    try {
        $id = call_action($publisher, $case);
        if (\count($transport->sent) !== 1) {
            fail("case $index: published " . \count($transport->sent) . ' times');
        }
        $envelope = \json_decode($transport->sent[0], true, 512, \JSON_THROW_ON_ERROR);
        if ($envelope['id'] !== $id) {
            fail("case $index: returned id $id is not the envelope's id");
        }
        $result = ['outcome' => 'ok', 'id' => $id, 'json' => $transport->sent[0]];
    } catch (InvalidPayload $e) {
        if ($transport->sent !== []) {
            fail("case $index: sent something before throwing InvalidPayload");
        }
        $result = [
            'outcome' => 'invalid',
            'parameter' => $e->parameter,
            'rule' => $e->rule,
            'message' => $e->getMessage(),
        ];
    }
    if ($result['outcome'] !== $case['expect']) {
        $failures[] = "case $index ({$case['method']}): expected {$case['expect']}, got " . \json_encode($result);
    }
    $results[] = $result;
}

write_output($results);
if ($failures !== []) {
    fail(\implode("\n", $failures));
}
