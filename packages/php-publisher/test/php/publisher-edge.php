<?php

// Behaviour of the generated classes that JSON cases cannot express: invalid UTF-8, PHP's
// own type checks, \DateTimeInterface, audiences, sites, ids, transport failures, and the
// cursor's PHP side (its JSON, the reply of read.lua, epochs). Prints the names of the checks
// as JSON; exits 1 at the first that fails. Input: {"defaultStream": the generator's default}.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

use Postbode\Actions;
use Postbode\Audience;
use Postbode\Cursor;
use Postbode\CursorUnavailable;
use Postbode\InvalidPayload;
use Postbode\PostbodeException;
use Postbode\PublishFailed;
use Postbode\Publisher;
use Postbode\Transport\CursorScript;
use Postbode\Transport\StreamTransport;
use Postbode\Transport\Transport;

$input = read_input();
$passed = [];

function check(string $name, bool $ok, string $detail = ''): void
{
    global $passed;
    if (!$ok) {
        fail($name . ($detail === '' ? '' : ": $detail"));
    }
    $passed[] = $name;
}

/** Runs $call and returns what it threw (or fails when it threw nothing). */
function thrown(string $name, callable $call): \Throwable
{
    try {
        $call();
    } catch (\Throwable $e) {
        return $e;
    }
    fail("$name: nothing was thrown");
}

function envelope(CaptureTransport $transport, int $index = 0): array
{
    return \json_decode($transport->sent[$index], true, 512, \JSON_THROW_ON_ERROR);
}

$capture = new CaptureTransport();
$publisher = new Publisher($capture, 'nl');

// Envelope shape, ids and times.
$id = $publisher->messageRead(Audience::user(42), 'c-9', 42, 'm-2', 1764250002000);
$sent = envelope($capture);
check('the transport is handed the envelope alone', \count($capture->sent) === 1);
check('the envelope has action, data, to, site, id, ts in that order', \array_keys($sent) === ['action', 'data', 'to', 'site', 'id', 'ts']);
check('int ids are sent as strings', $sent['data']['readerId'] === '42' && $sent['to'] === ['users' => ['42']]);
check('the returned id is the envelope id, a ULID', $sent['id'] === $id && \preg_match('/^[0-9A-HJKMNP-TV-Z]{26}$/', $id) === 1);
check('ts is integer milliseconds of now', \is_int($sent['ts']) && \abs($sent['ts'] - (int) (\microtime(true) * 1000)) < 60000);
check('JSON keeps slashes and unicode unescaped', !\str_contains($capture->sent[0], '\\/'));
$ids = [];
for ($i = 0; $i < 200; $i++) {
    $ids[] = $publisher->conversationUnread(Audience::user(1), 'c', 0, 0);
}
check('message ids are unique', \count(\array_unique($ids)) === 200);

$capture->sent = [];
$publisher->messageCreated(Audience::user(1), 'm', 'c', 'u', 'a/b é 😀', new \DateTimeImmutable('2025-11-27 13:46:40.123456', new \DateTimeZone('Europe/Amsterdam')));
$sent = envelope($capture);
check('a \DateTimeInterface is sent as integer milliseconds', $sent['data']['sentAt'] === 1764247600123, (string) $sent['data']['sentAt']);
check('strings arrive unchanged', $sent['data']['body'] === 'a/b é 😀');
check('optional parameters left null are left out', !\array_key_exists('attachments', $sent['data']));

$capture->sent = [];
$publisher->messageCreated(Audience::user(1), 'm', 'c', 'u', '', 0, attachments: [['url' => 'u', 'mimeType' => 'm', 'name' => null]]);
check('an optional key set to null in a nested array is left out', envelope($capture)['data']['attachments'] === [['url' => 'u', 'mimeType' => 'm']]);

// Invalid UTF-8 cannot come from JSON: it is checked here.
$e = thrown('invalid UTF-8', fn () => $publisher->messageCreated(Audience::user(1), 'm', 'c', 'u', "bad \xff", 0));
check('invalid UTF-8 throws InvalidPayload (utf8)', $e instanceof InvalidPayload && $e->parameter === '$body' && $e->rule === 'utf8', $e->getMessage());
check('InvalidPayload is an \InvalidArgumentException and a PostbodeException', $e instanceof \InvalidArgumentException && $e instanceof PostbodeException);

// PHP's own type checks (strict_types in the calling file).
$e = thrown('a float for an int', fn () => $publisher->conversationUnread(Audience::user(1), 'c', 1.5, 0));
check('a float where an int is declared is a \TypeError', $e instanceof \TypeError, \get_class($e));
$e = thrown('a float id', fn () => $publisher->messageRead(Audience::user(1), 1.0, 'u', 'm', 0));
check('a float id is a \TypeError', $e instanceof \TypeError, \get_class($e));
$e = thrown('a missing argument', fn () => $publisher->conversationUnread(Audience::user(1), 'c', 1));
check('a missing required argument is an \ArgumentCountError', $e instanceof \ArgumentCountError, \get_class($e));
$e = thrown('a float timestamp', fn () => $publisher->messageRead(Audience::user(1), 'c', 'u', 'm', 1.5));
check('a float timestamp is a \TypeError', $e instanceof \TypeError, \get_class($e));
$e = thrown('a negative date', fn () => $publisher->messageRead(Audience::user(1), 'c', 'u', 'm', new \DateTimeImmutable('1969-12-31')));
check('a date before 1970 breaks the minimum', $e instanceof InvalidPayload && $e->rule === 'minimum', $e->getMessage());
$e = thrown('a string for a nested int', fn () => $publisher->messageDelivered(Audience::user(1), 'c', [1.5], 0));
check('a float in an id list is InvalidPayload (type)', $e instanceof InvalidPayload && $e->parameter === '$messageIds[0]' && $e->rule === 'type', $e->getMessage());
check('InvalidPayload messages name the type that was given', \str_contains($e->getMessage(), 'got float'), $e->getMessage());

// Audiences.
$to = Audience::user(42)->with(Audience::users(['42', 43]), Audience::role('admin'), Audience::roles(['admin', 'mod']), Audience::everyone());
check('audiences combine, de-duplicated', $to->toArray() === ['users' => ['42', '43'], 'roles' => ['admin', 'mod'], 'all' => true]);
check('an everyone audience is {"all": true}', Audience::everyone()->toArray() === ['all' => true]);
$e = thrown('empty users', fn () => Audience::users([]));
check('an empty users audience throws', $e instanceof InvalidPayload && $e->parameter === '$ids' && $e->rule === 'minItems', $e->getMessage());
$many = \array_map('strval', \range(1, 10001));
$e = thrown('10,001 users', fn () => Audience::users($many));
check('more users than the gateway takes throws', $e instanceof InvalidPayload && $e->parameter === '$ids' && $e->rule === 'maxItems', $e->getMessage());
check('10,000 users (duplicates counted once) are fine', \count(Audience::users([...\array_slice($many, 0, 10000), '1'])->toArray()['users']) === 10000);
$e = thrown('10,001 users combined', fn () => Audience::users(\array_slice($many, 0, 5001))->with(Audience::users(\array_slice($many, 5001))));
check('a union over the limit throws', $e instanceof InvalidPayload && $e->parameter === '$others' && $e->rule === 'maxItems');
$e = thrown('101 roles', fn () => Audience::roles(\array_map(fn (int $i): string => 'r' . $i, \range(1, 101))));
check('more roles than the gateway takes throws', $e instanceof InvalidPayload && $e->parameter === '$roles' && $e->rule === 'maxItems');
$e = thrown('empty roles', fn () => Audience::roles([]));
check('an empty roles audience throws', $e instanceof InvalidPayload && $e->parameter === '$roles' && $e->rule === 'minItems');
$e = thrown('empty user id', fn () => Audience::user(''));
check('an empty user id throws', $e instanceof InvalidPayload && $e->parameter === '$ids[0]' && $e->rule === 'minLength');
$e = thrown('long user id', fn () => Audience::user(\str_repeat('x', 129)));
check('a user id over 128 characters throws', $e instanceof InvalidPayload && $e->rule === 'maxLength');
$e = thrown('long role', fn () => Audience::role(\str_repeat('r', 65)));
check('a role over 64 characters throws', $e instanceof InvalidPayload && $e->parameter === '$roles[0]' && $e->rule === 'maxLength');
$e = thrown('user ids as a map', fn () => Audience::users(['a' => 1]));
check('user ids must be a list', $e instanceof InvalidPayload && $e->rule === 'type');

// Sites.
$e = thrown('bad site', fn () => new Publisher($capture, site: 'nl be'));
check('a site with a space throws', $e instanceof InvalidPayload && $e->parameter === '$site' && $e->rule === 'pattern', $e->getMessage());
$e = thrown('site with newline', fn () => new Publisher($capture, site: "nl\n"));
check('a site with a trailing newline throws ($ is the very end)', $e instanceof InvalidPayload && $e->rule === 'pattern');
$e = thrown('long site', fn () => new Publisher($capture, site: \str_repeat('s', 65)));
check('a site over 64 characters throws', $e instanceof InvalidPayload && $e->rule === 'maxLength');
$e = thrown('a channel before the site', fn () => new Publisher($capture, 'postbode', 'nl'));
check('a channel where the Publisher once took one throws, rather than becoming the site', $e instanceof \ArgumentCountError && \str_contains($e->getMessage(), 'an argument of the transport'), $e->getMessage());
$capture->sent = [];
$publisher->withSite('be')->conversationUnread(Audience::everyone(), 'c', 0, 0);
$publisher->withSite(null)->conversationUnread(Audience::everyone(), 'c', 0, 0);
check('withSite sets the site', envelope($capture, 0)['site'] === 'be');
check('without a site the envelope has none (the gateway defaults it)', !\array_key_exists('site', envelope($capture, 1)));

// Transports that fail.
$failing = new class () implements Transport {
    public function publish(string $json): void
    {
        throw new \RuntimeException('socket closed');
    }
};
$e = thrown('failing transport', fn () => (new Publisher($failing))->conversationUnread(Audience::everyone(), 'c', 0, 0));
check('any transport error becomes PublishFailed, with the cause', $e instanceof PublishFailed && $e->getPrevious() instanceof \RuntimeException && \str_contains($e->getMessage(), 'socket closed'));
check('PublishFailed is a \RuntimeException and a PostbodeException', $e instanceof \RuntimeException && $e instanceof PostbodeException);

// The cursor: its JSON is what the browser sends as auth.cursor.
$cursor = new Cursor('0b0f4c9e-7d1a-4c3b-9f2e-5a6b7c8d9e0f', '1764250000123-0');
check('a Cursor encodes to exactly {"epoch", "offset"}', \json_encode($cursor) === '{"epoch":"0b0f4c9e-7d1a-4c3b-9f2e-5a6b7c8d9e0f","offset":"1764250000123-0"}', (string) \json_encode($cursor));
check('a Cursor is \JsonSerializable with its parts public', $cursor instanceof \JsonSerializable && $cursor->epoch === '0b0f4c9e-7d1a-4c3b-9f2e-5a6b7c8d9e0f' && $cursor->offset === '1764250000123-0');
$e = thrown('writing a cursor', function () use ($cursor): void {
    $cursor->offset = '0-0';
});
check('a Cursor is read-only', $e instanceof \Error && \str_contains($e->getMessage(), 'readonly'), $e->getMessage());
$e = thrown('cursor() without a stream', fn () => $publisher->cursor());
check('cursor() through a transport that does not append to the stream throws CursorUnavailable naming it', $e instanceof CursorUnavailable && $e instanceof PostbodeException && $e instanceof \RuntimeException && \str_starts_with($e->getMessage(), "CaptureTransport cannot read the stream's cursor"), $e->getMessage());
$stream = new class () implements StreamTransport {
    public function publish(string $json): void
    {
    }

    public function cursor(): Cursor
    {
        return new Cursor('e-1', '5-0');
    }
};
check('cursor() is the stream transport\'s, for every site', (new Publisher($stream, 'nl'))->withSite('be')->cursor() == new Cursor('e-1', '5-0'));
check('the default stream is the gateway\'s', StreamTransport::DEFAULT_STREAM === $input['defaultStream']);

// read.lua, as the Redis transports run it: the copy of the protocol's script, and its reply.
$lua = CursorScript::lua();
check('read.lua is there, beside the classes', \str_contains($lua, "redis.call('XINFO', 'STREAM', KEYS[1])") && CursorScript::sha1() === \sha1($lua));
$arguments = CursorScript::arguments('s:x');
check('the keys are the stream and its meta hash; ARGV a new epoch, "" (read nothing) and "0"', \count($arguments) === 6 && \array_slice($arguments, 0, 3) === ['2', 's:x', 's:x:meta'] && \array_slice($arguments, 4) === ['', '0']);
$epochs = [];
for ($i = 0; $i < 100; $i++) {
    $epochs[] = CursorScript::newEpoch();
}
check('new epochs are random UUIDs (version 4), as the gateway makes them', \count(\array_unique($epochs)) === 100 && \count(\preg_grep('/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/D', $epochs)) === 100, $epochs[0]);
check('the cursor is [0] and [2] of the reply', CursorScript::cursor(['e-9', '3', '1764250000123-4', '3', '1764250000000-0', []], 's') == new Cursor('e-9', '1764250000123-4'));
check('a stream that does not exist yet is at 0-0', CursorScript::cursor(['e-9', '0', '0-0', '0', '', []], 's')->offset === '0-0');
foreach (['false' => false, 'no epoch' => ['', '0', '0-0'], 'no id' => ['e', '0', 'x'], 'short' => ['e']] as $name => $reply) {
    $e = thrown("reply: $name", fn () => CursorScript::cursor($reply, 's:x'));
    check("a reply that is not read.lua's throws CursorUnavailable ($name)", $e instanceof CursorUnavailable && \str_contains($e->getMessage(), 'stream "s:x"'), $e->getMessage());
}

check('Actions constants hold the action names', Actions::MESSAGE_CREATED === 'message.created' && \in_array(Actions::MESSAGE_READ, Actions::ALL, true));

write_output($passed);
