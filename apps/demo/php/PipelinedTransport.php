<?php

declare(strict_types=1);

use Postbode\PublishFailed;
use Postbode\Transport\StreamTransport;
use Postbode\Transport\Transport;

/**
 * A Transport of the demo's worker: the Publisher hands it each envelope, it keeps them, and
 * flush() appends them all to the gateway's stream in one phpredis pipeline (one round trip,
 * an XADD each, in order), as PhpRedisTransport does one by one.
 */
final class PipelinedTransport implements Transport
{
    /** @var list<string> */
    private array $envelopes = [];

    public function __construct(private readonly Redis $redis, private readonly string $stream = StreamTransport::DEFAULT_STREAM)
    {
    }

    public function publish(string $json): void
    {
        $this->envelopes[] = $json;
    }

    /** @throws PublishFailed when an XADD failed (the ones before it were published) */
    public function flush(): void
    {
        if ($this->envelopes === []) {
            return;
        }
        $envelopes = $this->envelopes;
        $this->envelopes = [];
        try {
            $pipe = $this->redis->pipeline();
            foreach ($envelopes as $json) {
                $pipe->rawCommand('XADD', $this->stream, '*', 'envelope', $json);
            }
            $replies = $pipe->exec();
        } catch (RedisException $e) {
            throw new PublishFailed("Redis XADD to stream \"{$this->stream}\" failed: " . $e->getMessage(), previous: $e);
        }
        foreach ($replies as $reply) {
            if (!is_string($reply)) {
                throw new PublishFailed("Redis XADD to stream \"{$this->stream}\" failed: " . ($this->redis->getLastError() ?? 'no reply'));
            }
        }
    }
}
