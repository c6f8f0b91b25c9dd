<?php

declare(strict_types=1);

namespace Postbode;

/**
 * One entry of the backend event stream (contracts 7 and 8), as an EventConsumer hands it to a
 * handler: a client action a browser sent (message.read, ...) or a presence transition.
 * `site` and `user` come from the user's verified token, never from the browser. `id` is the
 * idempotency id: delivery is at least once, so a handler that has seen an `id` may skip it.
 */
final class BackendEvent
{
    /**
     * @param string               $action     what happened, e.g. 'message.read', 'presence.online'
     * @param string               $site       the site (tenant) of the user
     * @param string               $user       the user id
     * @param string               $id         the idempotency id (the client's, or one the gateway assigned)
     * @param int                  $ts         when the gateway accepted it, ms since the Unix epoch
     * @param string               $node       the gateway node that wrote it
     * @param array<string, mixed> $data       the validated payload (client actions) or details (presence)
     * @param string               $streamId   the entry's id in the Redis stream
     * @param int                  $deliveries how often the consumer group has delivered it (1 the first time)
     */
    public function __construct(
        public readonly string $action,
        public readonly string $site,
        public readonly string $user,
        public readonly string $id,
        public readonly int $ts,
        public readonly string $node,
        public readonly array $data,
        public readonly string $streamId,
        public readonly int $deliveries = 1,
    ) {
    }

    /**
     * Reads an entry's fields (XREADGROUP's field/value list as a map).
     *
     * @param array<string, string> $fields
     *
     * @throws MalformedEvent naming what is missing or malformed
     */
    public static function fromFields(string $streamId, array $fields, int $deliveries = 1): self
    {
        foreach (['action', 'site', 'user', 'id', 'ts', 'node', 'data'] as $name) {
            if (!isset($fields[$name])) {
                throw new MalformedEvent(\sprintf('entry %s has no field "%s"', $streamId, $name));
            }
        }
        try {
            $data = \json_decode($fields['data'], true, 64, \JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new MalformedEvent(\sprintf('entry %s: data is not JSON: %s', $streamId, $e->getMessage()));
        }
        if (!\is_array($data) || ($data !== [] && \array_is_list($data))) {
            throw new MalformedEvent(\sprintf('entry %s: data is not a JSON object', $streamId));
        }
        if (\preg_match('/^\d+$/', $fields['ts']) !== 1) {
            throw new MalformedEvent(\sprintf('entry %s: ts is not an integer', $streamId));
        }

        return new self(
            $fields['action'],
            $fields['site'],
            $fields['user'],
            $fields['id'],
            (int) $fields['ts'],
            $fields['node'],
            $data,
            $streamId,
            $deliveries,
        );
    }
}
