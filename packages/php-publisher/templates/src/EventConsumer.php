<?php

declare(strict_types=1);

namespace Postbode;

use Postbode\EventStream\EventStreamClient;
use Postbode\EventStream\EventStreamFailed;

/**
 * Drains the backend event stream (contracts 7 and 8) with a Redis consumer group and hands
 * each entry to the typed method of an EventHandler (EventRouter dispatches by `action`), or, when
 * the handler is a BatchEventHandler, all entries of one read to its handleBatch() at once.
 *
 * - One batch, one XACK: the entries of a batch whose handler returned are acknowledged together,
 *   with a single `XACK stream group id1 id2 ...` after the handler(s) returned.
 * - At least once: an entry is acknowledged (XACK) only after its handler returned. A worker
 *   that crashes leaves its entries pending; after `minIdleMs` another worker (or this one,
 *   restarted) claims them (XAUTOCLAIM) and handles them again. Make handlers idempotent by
 *   `$event->id`.
 * - A handler that throws leaves the entry pending: it is claimed again after `minIdleMs`. On
 *   its `maxDeliveries`-th failed delivery (or when it was delivered more often than that, e.g.
 *   it crashed every worker that took it) it is moved to the dead-letter stream with the error,
 *   and acknowledged. An entry that cannot be read at all (missing field, data not JSON) goes
 *   there at once.
 * - An action the handler has no method for goes to EventHandler::unknownAction(); what that
 *   returns (or throws) decides, as for every other method.
 * - run() stops cleanly on SIGTERM and SIGINT when ext-pcntl is loaded: the entry being handled
 *   (or the batch handleBatch() is handling) is finished and acknowledged, the rest of the batch
 *   stays pending (claimed later). Without
 *   ext-pcntl a signal ends the process at once, as a crash would: nothing is lost, the entries
 *   it held are re-delivered after `minIdleMs`.
 *
 * <code>
 * $consumer = new EventConsumer(new PhpRedisEventStreamClient($redis), new ReceiptHandler($pdo));
 * $consumer->run();        // a long-running worker, under systemd or supervisord
 * $consumer->runOnce();    // or one batch, from cron
 * </code>
 */
final class EventConsumer
{
    /** The stream the gateway appends to (its POSTBODE_EVENTS_STREAM). */
    public const DEFAULT_STREAM = Schema::DEFAULT_EVENTS_STREAM;
    /** The consumer group every worker of the backend shares. */
    public const DEFAULT_GROUP = 'postbode-workers';
    /** Entries read per batch. */
    public const DEFAULT_BATCH = 100;
    /** How long run() waits for new entries in one read, in ms. */
    public const DEFAULT_BLOCK_MS = 5000;
    /** How long an entry stays pending with a worker before another may claim it, in ms. */
    public const DEFAULT_MIN_IDLE_MS = 60000;
    /** Failed deliveries after which an entry goes to the dead-letter stream. */
    public const DEFAULT_MAX_DELIVERIES = 5;
    /** The dead-letter stream is the stream's name with this suffix, unless given. */
    public const DEAD_LETTER_SUFFIX = ':dead';

    private readonly string $consumer;
    private readonly string $deadLetterStream;
    private bool $stopping = false;
    private bool $groupReady = false;
    private string $claimCursor = '0-0';

    /**
     * @param EventStreamClient                                     $redis            PhpRedisEventStreamClient or PredisEventStreamClient
     * @param EventHandler                                          $handler          your handler: one method per action (a BatchEventHandler also gets each batch at once)
     * @param string                                                $stream           the gateway's POSTBODE_EVENTS_STREAM
     * @param string                                                $group            the consumer group (created if missing)
     * @param string|null                                           $consumer         this worker's name in the group (default: host and pid)
     * @param int                                                   $batch            entries per batch
     * @param int                                                   $blockMs          how long run() waits for new entries per read, in ms
     * @param int                                                   $minIdleMs        when another worker's pending entry may be claimed, in ms
     * @param int                                                   $maxDeliveries    failed deliveries before the dead-letter stream
     * @param string|null                                           $deadLetterStream default: the stream's name and ':dead'
     * @param (\Closure(string, string, array<string, mixed>): void)|null $log       receives (level, message, context)
     */
    public function __construct(
        private readonly EventStreamClient $redis,
        private readonly EventHandler $handler,
        private readonly string $stream = self::DEFAULT_STREAM,
        private readonly string $group = self::DEFAULT_GROUP,
        ?string $consumer = null,
        private readonly int $batch = self::DEFAULT_BATCH,
        private readonly int $blockMs = self::DEFAULT_BLOCK_MS,
        private readonly int $minIdleMs = self::DEFAULT_MIN_IDLE_MS,
        private readonly int $maxDeliveries = self::DEFAULT_MAX_DELIVERIES,
        ?string $deadLetterStream = null,
        private readonly ?\Closure $log = null,
    ) {
        if ($stream === '' || $group === '') {
            throw new InvalidArgument($stream === '' ? '$stream' : '$group', 'must not be empty');
        }
        foreach (['$batch' => $batch, '$maxDeliveries' => $maxDeliveries] as $name => $value) {
            if ($value < 1) {
                throw new InvalidArgument($name, \sprintf('must be at least 1, got %d', $value));
            }
        }
        foreach (['$blockMs' => $blockMs, '$minIdleMs' => $minIdleMs] as $name => $value) {
            if ($value < 0) {
                throw new InvalidArgument($name, \sprintf('must not be negative, got %d', $value));
            }
        }
        $this->consumer = $consumer ?? \sprintf('%s-%d', \gethostname() ?: 'worker', \getmypid() ?: 0);
        $this->deadLetterStream = $deadLetterStream ?? $stream . self::DEAD_LETTER_SUFFIX;
    }

    /** Creates the consumer group (from the start of the stream) unless it exists. */
    public function ensureGroup(): void
    {
        try {
            $this->redis->command('XGROUP', 'CREATE', $this->stream, $this->group, '0', 'MKSTREAM');
        } catch (EventStreamFailed $e) {
            if (!\str_contains($e->getMessage(), 'BUSYGROUP')) {
                throw $e;
            }
        }
        $this->groupReady = true;
    }

    /**
     * Handles one batch: first entries other workers left pending longer than `minIdleMs`, then
     * new ones (waiting up to `$blockMs` for them; 0: not at all). Returns how many entries were
     * settled (acknowledged after their handler, or dead-lettered).
     *
     * @throws EventStreamFailed when Redis fails
     */
    public function runOnce(int $blockMs = 0): int
    {
        if (!$this->groupReady) {
            $this->ensureGroup();
        }
        $entries = $this->claim();
        if (\count($entries) < $this->batch && !$this->stopping) {
            $entries = \array_merge($entries, $this->readNew($this->batch - \count($entries), $blockMs));
        }
        // Stream ids to acknowledge, all with one XACK at the end of the batch.
        $acks = [];
        $events = [];
        foreach ($entries as [$streamId, $fields, $deliveries]) {
            if ($deliveries > $this->maxDeliveries) {
                $this->deadLetter($streamId, $fields, $deliveries, \sprintf('delivered %d times without being acknowledged', $deliveries));
                $acks[] = $streamId;
                continue;
            }
            try {
                $events[] = BackendEvent::fromFields($streamId, $fields, $deliveries);
            } catch (MalformedEvent $e) {
                $this->deadLetter($streamId, $fields, $deliveries, $e->getMessage());
                $acks[] = $streamId;
            }
        }
        $fieldsOf = [];
        foreach ($entries as [$streamId, $fields]) {
            $fieldsOf[$streamId] = $fields;
        }
        if ($events !== [] && !$this->stopping) {
            $outcomes = $this->handler instanceof BatchEventHandler ? $this->handleBatch($this->handler, $events) : $this->handleEach($events);
            foreach ($outcomes as [$event, $error]) {
                if ($error === null) {
                    $acks[] = $event->streamId;
                    continue;
                }
                if ($event->deliveries >= $this->maxDeliveries) {
                    $this->deadLetter($event->streamId, $fieldsOf[$event->streamId] ?? [], $event->deliveries, \get_class($error) . ': ' . $error->getMessage());
                    $acks[] = $event->streamId;
                    continue;
                }
                $this->log('warning', 'event handler failed; the entry stays pending and is delivered again', [
                    'id' => $event->id, 'action' => $event->action, 'entry' => $event->streamId,
                    'deliveries' => $event->deliveries, 'error' => $error->getMessage(),
                ]);
            }
        }
        if ($acks !== []) {
            // One XACK for the whole batch.
            $this->redis->command('XACK', $this->stream, $this->group, ...$acks);
        }

        return \count($acks);
    }

    /**
     * Hands each event to its EventHandler method, in order, until stop(): an event not started
     * is left out (it stays pending).
     *
     * @param non-empty-list<BackendEvent> $events
     *
     * @return array<string, array{0: BackendEvent, 1: \Throwable|null}> by stream id: null when handled
     */
    private function handleEach(array $events): array
    {
        $outcomes = [];
        foreach ($events as $event) {
            if ($this->stopping) {
                break;
            }
            try {
                EventRouter::dispatch($this->handler, $event);
                $outcomes[$event->streamId] = [$event, null];
            } catch (\Throwable $e) {
                $outcomes[$event->streamId] = [$event, $e];
            }
        }

        return $outcomes;
    }

    /**
     * Hands all events to BatchEventHandler::handleBatch() at once; when it throws, every event
     * of the batch failed.
     *
     * @param non-empty-list<BackendEvent> $events
     *
     * @return array<string, array{0: BackendEvent, 1: \Throwable|null}> by stream id: null when handled
     */
    private function handleBatch(BatchEventHandler $handler, array $events): array
    {
        try {
            $failed = $handler->handleBatch($events);
            $batchError = null;
        } catch (\Throwable $e) {
            $failed = [];
            $batchError = $e;
        }
        $outcomes = [];
        foreach ($events as $event) {
            $error = $batchError ?? ($failed[$event->streamId] ?? null);
            if ($error !== null && !$error instanceof \Throwable) {
                $error = new \RuntimeException(\sprintf('handleBatch() reported entry %s as failed', $event->streamId));
            }
            $outcomes[$event->streamId] = [$event, $error];
        }

        return $outcomes;
    }

    /**
     * Runs batches until stop() (or SIGTERM/SIGINT with ext-pcntl). Returns the number of
     * entries settled.
     */
    public function run(): int
    {
        $restore = $this->trapSignals();
        $settled = 0;
        try {
            while (!$this->stopping) {
                $settled += $this->runOnce($this->blockMs);
            }
        } finally {
            $restore();
        }
        $this->log('info', 'event consumer stopped', ['settled' => $settled, 'consumer' => $this->consumer]);

        return $settled;
    }

    /** Asks run() to stop after the entry (or batch) it is handling (safe from a signal handler). */
    public function stop(): void
    {
        $this->stopping = true;
    }

    /** This worker's name in the consumer group. */
    public function consumerName(): string
    {
        return $this->consumer;
    }

    /** @return list<array{0: string, 1: array<string, string>, 2: int}> */
    private function claim(): array
    {
        $reply = $this->redis->command(
            'XAUTOCLAIM', $this->stream, $this->group, $this->consumer, (string) $this->minIdleMs,
            $this->claimCursor, 'COUNT', (string) $this->batch,
        );
        if (!\is_array($reply) || !isset($reply[0], $reply[1]) || !\is_array($reply[1])) {
            return [];
        }
        $this->claimCursor = (string) $reply[0];
        $entries = [];
        foreach ($reply[1] as $entry) {
            // An entry deleted from the stream while pending comes back without fields (Redis 6.2).
            if (\is_array($entry) && isset($entry[0]) && \is_array($entry[1] ?? null)) {
                $entries[] = [(string) $entry[0], self::fieldMap($entry[1]), 0];
            }
        }
        if ($entries === []) {
            return [];
        }
        // How often each was delivered: XAUTOCLAIM counted this delivery too.
        $counts = [];
        $pending = $this->redis->command(
            'XPENDING', $this->stream, $this->group, $entries[0][0], $entries[\count($entries) - 1][0],
            (string) (\count($entries) * 2 + 10), $this->consumer,
        );
        foreach (\is_array($pending) ? $pending : [] as $row) {
            if (\is_array($row) && isset($row[0], $row[3])) {
                $counts[(string) $row[0]] = (int) $row[3];
            }
        }
        foreach ($entries as $i => $entry) {
            $entries[$i][2] = $counts[$entry[0]] ?? 2;
        }

        return $entries;
    }

    /** @return list<array{0: string, 1: array<string, string>, 2: int}> */
    private function readNew(int $count, int $blockMs): array
    {
        $arguments = ['XREADGROUP', 'GROUP', $this->group, $this->consumer, 'COUNT', (string) $count];
        if ($blockMs > 0) {
            \array_push($arguments, 'BLOCK', (string) $blockMs);
        }
        \array_push($arguments, 'STREAMS', $this->stream, '>');
        $reply = $this->redis->command(...$arguments);
        $entries = [];
        foreach (\is_array($reply) ? $reply : [] as $streamReply) {
            foreach (\is_array($streamReply[1] ?? null) ? $streamReply[1] : [] as $entry) {
                if (\is_array($entry) && isset($entry[0]) && \is_array($entry[1] ?? null)) {
                    $entries[] = [(string) $entry[0], self::fieldMap($entry[1]), 1];
                }
            }
        }

        return $entries;
    }

    /** @param array<string, string> $fields */
    private function deadLetter(string $streamId, array $fields, int $deliveries, string $reason): void
    {
        $arguments = ['XADD', $this->deadLetterStream, '*'];
        foreach ($fields as $name => $value) {
            \array_push($arguments, (string) $name, $value);
        }
        \array_push($arguments, 'entry', $streamId, 'group', $this->group, 'deliveries', (string) $deliveries, 'error', $reason);
        // The caller acknowledges it with the rest of the batch.
        $this->redis->command(...$arguments);
        $this->log('error', 'event moved to the dead-letter stream', [
            'entry' => $streamId, 'id' => $fields['id'] ?? null, 'action' => $fields['action'] ?? null,
            'deliveries' => $deliveries, 'error' => $reason, 'deadLetterStream' => $this->deadLetterStream,
        ]);
    }

    /** @return \Closure(): void restores the previous handlers */
    private function trapSignals(): \Closure
    {
        if (!\function_exists('pcntl_signal') || !\function_exists('pcntl_async_signals')) {
            return static function (): void {
            };
        }
        $async = \pcntl_async_signals(true);
        $previous = [\SIGTERM => \pcntl_signal_get_handler(\SIGTERM), \SIGINT => \pcntl_signal_get_handler(\SIGINT)];
        foreach (\array_keys($previous) as $signal) {
            \pcntl_signal($signal, function (): void {
                $this->stop();
            });
        }

        return static function () use ($previous, $async): void {
            foreach ($previous as $signal => $handler) {
                \pcntl_signal($signal, $handler);
            }
            \pcntl_async_signals($async);
        };
    }

    /**
     * @param array<int, mixed> $list
     *
     * @return array<string, string>
     */
    private static function fieldMap(array $list): array
    {
        $map = [];
        for ($i = 0; $i + 1 < \count($list); $i += 2) {
            $map[(string) $list[$i]] = (string) $list[$i + 1];
        }

        return $map;
    }

    /** @param array<string, mixed> $context */
    private function log(string $level, string $message, array $context = []): void
    {
        if ($this->log !== null) {
            ($this->log)($level, $message, $context);
        }
    }
}
