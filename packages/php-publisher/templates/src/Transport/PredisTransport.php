<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\Cursor;
use Postbode\CursorUnavailable;
use Postbode\InvalidArgument;
use Postbode\PublishFailed;

/**
 * Appends each envelope to the gateway's Redis stream (XADD <stream> * envelope <json>) through
 * Predis (predis/predis 1.1 or later), on a client you create and own. Durable: the browser
 * gets it with meta.offset, and a browser that reconnects with a cursor gets it replayed. The
 * stream is used exactly as named: the client's key prefix does not apply.
 *
 * <code>
 * $transport = new PredisTransport(new \Predis\Client('tcp://127.0.0.1:6379')); // or stream: '...'
 * </code>
 */
final class PredisTransport implements StreamTransport
{
    /**
     * @param \Predis\ClientInterface $client a client
     * @param string                  $stream the stream the gateway reads (its POSTBODE_STREAM)
     */
    public function __construct(
        private readonly \Predis\ClientInterface $client,
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
            $reply = $this->command('XADD', $this->stream, '*', 'envelope', $json);
        } catch (\Predis\PredisException $e) {
            throw new PublishFailed($failed . $e->getMessage(), previous: $e);
        }
        if ($reply instanceof \Predis\Response\ErrorInterface) {
            throw new PublishFailed($failed . $reply->getMessage());
        }
    }

    public function cursor(): Cursor
    {
        $failed = \sprintf('reading the cursor of Redis stream "%s" failed: ', $this->stream);
        $arguments = CursorScript::arguments($this->stream);
        try {
            $reply = $this->command('EVALSHA', CursorScript::sha1(), ...$arguments);
            if ($reply instanceof \Predis\Response\ErrorInterface && $reply->getErrorType() === 'NOSCRIPT') {
                // No gateway has loaded it since Redis started: send the script itself, once.
                $reply = $this->command('EVAL', CursorScript::lua(), ...$arguments);
            }
        } catch (\Predis\PredisException $e) {
            throw new CursorUnavailable($failed . $e->getMessage(), $e);
        }
        if ($reply instanceof \Predis\Response\ErrorInterface) {
            throw new CursorUnavailable($failed . $reply->getMessage());
        }

        return CursorScript::cursor($reply, $this->stream);
    }

    /**
     * Sends a command as it is: a raw command, which the client's key prefix does not touch and
     * which Predis 1.1 (it knows no XADD) sends too. An error reply is returned, whether or not
     * the client throws them ('exceptions' => false).
     */
    private function command(string ...$arguments): mixed
    {
        try {
            return $this->client->executeCommand(\Predis\Command\RawCommand::create(...$arguments));
        } catch (\Predis\Response\ServerException $e) {
            return $e;
        }
    }
}
