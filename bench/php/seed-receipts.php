<?php

/**
 * Seeds the demo's PHP backend (apps/demo/php/ChatStore.php) for `pnpm bench`'s receipt-cost
 * scenario: for each pair of users in DEMO_USERS_JSON (1-2, 3-4, ...) a conversation with
 * `argv[1]` messages from the first to the second, and a session of each reader. Prints JSON
 * `{ "sessions": { userId: session }, "conversations": [ { id, reader, messageIds } ] }`.
 * Runs with the same environment as the backend (DEMO_REDIS_HOST, DEMO_REDIS_PORT,
 * DEMO_PUBLISHER_AUTOLOAD, DEMO_USERS_JSON); the caller deletes `demo:*` before it.
 */

declare(strict_types=1);

require_once getenv('DEMO_PUBLISHER_AUTOLOAD');
require_once getenv('DEMO_CHAT_STORE');

$perConversation = (int) ($argv[1] ?? 0);
if ($perConversation < 1) {
    fwrite(STDERR, "usage: seed-receipts.php MESSAGES_PER_CONVERSATION\n");
    exit(2);
}
$redis = new Redis();
$redis->connect((string) getenv('DEMO_REDIS_HOST'), (int) getenv('DEMO_REDIS_PORT'));
$store = new ChatStore($redis, json_decode((string) getenv('DEMO_USERS_JSON'), true, 8, JSON_THROW_ON_ERROR));

$sessions = [];
$conversations = [];
for ($i = 0; $i + 1 < count($store->users); $i += 2) {
    [$sender, $reader] = [$store->users[$i], $store->users[$i + 1]];
    $id = ChatStore::conversationId($sender['id'], $reader['id']);
    $messageIds = [];
    for ($m = 0; $m < $perConversation; $m++) {
        $messageIds[] = $store->send($sender, $reader, $id, "message $m")['messageId'];
    }
    $sessions[$reader['id']] = $store->startSession($reader);
    $conversations[] = ['id' => $id, 'reader' => $reader['id'], 'messageIds' => $messageIds];
}
echo json_encode(['sessions' => $sessions, 'conversations' => $conversations], JSON_THROW_ON_ERROR), "\n";
