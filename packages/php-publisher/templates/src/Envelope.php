<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Encodes an envelope, the JSON the gateway reads from Redis or POST /publish:
 * {"action", "data", "to", "site", "id", "ts"}; and makes message ids (ULIDs).
 *
 * @internal used by Publisher; its arguments have been checked already
 */
final class Envelope
{
    private const JSON_FLAGS = \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE;

    /** Crockford's base 32, as ULIDs use it. */
    private const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

    private function __construct()
    {
    }

    /**
     * @param string               $action a server action, e.g. 'message.created'
     * @param array<string, mixed> $data   its payload, checked
     * @param string|null          $site   null: the gateway's default site
     * @param string               $id     the message id
     * @param int                  $ts     publish time in milliseconds since the epoch
     */
    public static function encode(
        string $action,
        array $data,
        Audience $to,
        ?string $site,
        string $id,
        int $ts,
    ): string {
        $envelope = [
            'action' => $action,
            // An empty PHP array encodes as [], but data is a JSON object.
            'data' => $data === [] ? new \stdClass() : $data,
            'to' => $to->toArray(),
        ];
        if ($site !== null) {
            $envelope['site'] = $site;
        }
        $envelope['id'] = $id;
        $envelope['ts'] = $ts;

        try {
            return \json_encode($envelope, self::JSON_FLAGS);
        } catch (\JsonException $e) {
            throw new InvalidPayload('$data', 'json', 'cannot be encoded as JSON: ' . $e->getMessage());
        }
    }

    /**
     * A new message id: a ULID (26 characters, sortable by time, 80 random bits).
     */
    public static function newId(int $milliseconds): string
    {
        $id = '';
        for ($shift = 45; $shift >= 0; $shift -= 5) {
            $id .= self::ID_ALPHABET[($milliseconds >> $shift) & 31];
        }
        $random = \random_bytes(10);
        foreach ([0, 5] as $offset) {
            $bits = 0;
            for ($i = 0; $i < 5; $i++) {
                $bits = ($bits << 8) | \ord($random[$offset + $i]);
            }
            for ($shift = 35; $shift >= 0; $shift -= 5) {
                $id .= self::ID_ALPHABET[($bits >> $shift) & 31];
            }
        }

        return $id;
    }

    /**
     * The current time in integer milliseconds since the epoch.
     */
    public static function now(): int
    {
        return (int) \floor(\microtime(true) * 1000);
    }
}
