<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\Cursor;
use Postbode\CursorUnavailable;

/**
 * How the Redis transports read the stream's cursor: the protocol's read.lua (copied as it is
 * to src/Resources/read.lua, so its SHA1 is the one the gateway loads), reading no entries.
 *
 * @internal
 */
final class CursorScript
{
    private static ?string $lua = null;

    /**
     * The source of read.lua.
     *
     * @throws CursorUnavailable when the file is missing (copy src/ whole)
     */
    public static function lua(): string
    {
        if (self::$lua === null) {
            $file = \dirname(__DIR__) . '/Resources/read.lua';
            $lua = \is_file($file) ? \file_get_contents($file) : false;
            if ($lua === false) {
                throw new CursorUnavailable(\sprintf('cannot read %s: copy the package\'s src/ whole', $file));
            }
            self::$lua = $lua;
        }

        return self::$lua;
    }

    /**
     * The SHA1 of read.lua, for EVALSHA: the same as the gateway's, as the file is the same.
     */
    public static function sha1(): string
    {
        return \sha1(self::lua());
    }

    /**
     * What follows the script (EVAL) or its SHA1 (EVALSHA): the number of keys, the stream and
     * its meta hash, then ARGV: a new epoch (taken only when the stream has none), '' (read no
     * entries), '0'.
     *
     * @return list<string>
     */
    public static function arguments(string $stream): array
    {
        return ['2', $stream, $stream . Schema::STREAM_META_SUFFIX, self::newEpoch(), '', '0'];
    }

    /**
     * The cursor in read.lua's reply: { epoch, entries-added, last-generated-id, ... }.
     *
     * @throws CursorUnavailable when the reply is not read.lua's
     */
    public static function cursor(mixed $reply, string $stream): Cursor
    {
        $epoch = \is_array($reply) ? ($reply[0] ?? null) : null;
        $offset = \is_array($reply) ? ($reply[2] ?? null) : null;
        if (!\is_string($epoch) || $epoch === '' || !\is_string($offset) || \preg_match('/^\d+-\d+$/D', $offset) !== 1) {
            throw new CursorUnavailable(\sprintf(
                'Redis did not answer read.lua for stream "%s" with an epoch and a last entry id (got %s)',
                $stream,
                \get_debug_type($reply),
            ));
        }

        return new Cursor($epoch, $offset);
    }

    /**
     * A new epoch as the gateway makes them: a random UUID (version 4).
     */
    public static function newEpoch(): string
    {
        $bytes = \random_bytes(16);
        $bytes[6] = \chr((\ord($bytes[6]) & 0x0f) | 0x40);
        $bytes[8] = \chr((\ord($bytes[8]) & 0x3f) | 0x80);

        return \vsprintf('%s%s-%s-%s-%s-%s%s%s', \str_split(\bin2hex($bytes), 4));
    }
}
