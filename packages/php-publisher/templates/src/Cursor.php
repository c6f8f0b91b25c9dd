<?php

declare(strict_types=1);

namespace Postbode;

/**
 * A position in the gateway's durable stream: the stream's epoch (the name of its history) and
 * an offset (a stream entry id; "0-0" before the first entry). The browser resumes from it
 * (the SDK's option cursor, or io(url, { auth: { token, cursor } })) and is sent every message
 * published after it that it has not seen. Encodes to exactly {"epoch": "…", "offset": "…"}.
 *
 * <code>
 * $cursor = $publisher->cursor();
 * echo json_encode($cursor); // {"epoch":"0b0f4c9e-…","offset":"1764250000123-0"}
 * </code>
 */
final class Cursor implements \JsonSerializable
{
    /**
     * @param string $epoch  the stream's epoch, as stored in its meta hash ("<stream>:meta")
     * @param string $offset the id of the stream's last entry when the cursor was read
     */
    public function __construct(
        public readonly string $epoch,
        public readonly string $offset,
    ) {
    }

    /**
     * @return array{epoch: string, offset: string}
     */
    public function jsonSerialize(): array
    {
        return ['epoch' => $this->epoch, 'offset' => $this->offset];
    }
}
