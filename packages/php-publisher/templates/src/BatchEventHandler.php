<?php

declare(strict_types=1);

namespace Postbode;

/**
 * An EventHandler that also takes a whole batch at once: EventConsumer hands it every readable
 * entry of one read (up to `batch`, in stream order) in one call, so that it can write them with
 * one Redis pipeline or one multi-row SQL statement instead of a round trip per entry. The
 * consumer then acknowledges the batch with one `XACK`.
 *
 * Implement the per-action methods of EventHandler too (they remain the contract for a single
 * entry; `EventRouter::dispatch($this, $event)` calls them, e.g. for actions you do not batch).
 *
 * - Return the entries that failed, by `$event->streamId`: those are not acknowledged and are
 *   delivered again, then dead-lettered, exactly as when a single method throws. Return [] when
 *   all were handled.
 * - Throwing fails the whole batch: no entry of it is acknowledged.
 * - Delivery is at least once, and a worker killed after your writes but before the `XACK`
 *   hands the whole batch to another worker: skip an `$event->id` you have already handled.
 *
 * <code>
 * public function handleBatch(array $events): array
 * {
 *     $pipe = $this->redis->pipeline();
 *     foreach ($events as $event) {
 *         EventRouter::dispatch($this, $event); // or: queue its write on $pipe
 *     }
 *     $pipe->exec();
 *     return [];
 * }
 * </code>
 */
interface BatchEventHandler extends EventHandler
{
    /**
     * @param non-empty-list<BackendEvent> $events the readable entries of one read, in stream order
     *
     * @return array<string, \Throwable> the entries that failed, keyed by `streamId` ([] when all were handled)
     */
    public function handleBatch(array $events): array;
}
