<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\Cursor;
use Postbode\CursorUnavailable;
use Postbode\InvalidArgument;
use Postbode\PublishFailed;

/**
 * Appends each envelope to the gateway's Redis stream (XADD <stream> * envelope <json>) through
 * the phpredis extension (ext-redis), on a connection you open and own. Durable: the browser
 * gets it with meta.offset, and a browser that reconnects with a cursor gets it replayed. The
 * stream and the envelope are sent exactly as given: the client's OPT_PREFIX and
 * OPT_SERIALIZER do not apply.
 *
 * <code>
 * $redis = new \Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $transport = new PhpRedisTransport($redis); // or stream: 'postbode:stream'
 * </code>
 */
final class PhpRedisTransport implements StreamTransport
{
    /**
     * @param \Redis $redis  a connected client
     * @param string $stream the stream the gateway reads (its POSTBODE_STREAM)
     */
    public function __construct(
        private readonly \Redis $redis,
        private readonly string $stream = StreamTransport::DEFAULT_STREAM,
    ) {
        if ($stream === '') {
            throw new InvalidArgument('$stream', 'must not be empty');
        }
    }

    public function publish(string $json): void
    {
        $failed = \sprintf('Redis XADD to stream "%s" failed: ', $this->stream);
        try {
            $id = $this->command('XADD', $this->stream, '*', 'envelope', $json);
        } catch (\RedisException $e) {
            throw new PublishFailed($failed . $e->getMessage(), previous: $e);
        }
        if (!\is_string($id)) {
            throw new PublishFailed($failed . ($this->redis->getLastError() ?? 'no reply'));
        }
    }

    public function cursor(): Cursor
    {
        $failed = \sprintf('reading the cursor of Redis stream "%s" failed: ', $this->stream);
        $arguments = CursorScript::arguments($this->stream);
        try {
            $reply = $this->command('EVALSHA', CursorScript::sha1(), ...$arguments);
            if ($reply === false && \str_starts_with($this->redis->getLastError() ?? '', 'NOSCRIPT')) {
                // No gateway has loaded it since Redis started: send the script itself, once.
                $reply = $this->command('EVAL', CursorScript::lua(), ...$arguments);
            }
        } catch (\RedisException $e) {
            throw new CursorUnavailable($failed . $e->getMessage(), $e);
        }
        if ($reply === false) {
            throw new CursorUnavailable($failed . ($this->redis->getLastError() ?? 'no reply'));
        }

        return CursorScript::cursor($reply, $this->stream);
    }

    /**
     * Sends a command as it is (rawCommand: no key prefix, no serializer); false on an error
     * reply, which getLastError() then holds.
     */
    private function command(string ...$arguments): mixed
    {
        $this->redis->clearLastError();

        return $this->redis->rawCommand(...$arguments);
    }
}
