<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\Cursor;
use Postbode\CursorUnavailable;

/**
 * A transport that appends envelopes to the gateway's Redis stream itself (XADD <stream> *
 * envelope <json>), and so can read the stream's cursor from the same Redis: the transports
 * Publisher::cursor() works with.
 */
interface StreamTransport extends Transport
{
    /**
     * The stream the gateway reads unless configured otherwise (its POSTBODE_STREAM).
     */
    public const DEFAULT_STREAM = Schema::DEFAULT_STREAM;

    /**
     * The stream's epoch and its last entry id, now, in one Redis round trip. Runs the
     * protocol's read.lua as the gateway does, so both agree on the epoch; it starts the epoch
     * when no gateway has yet.
     *
     * @throws CursorUnavailable when Redis fails or answers something else
     */
    public function cursor(): Cursor;
}
