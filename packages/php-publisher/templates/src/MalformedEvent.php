<?php

declare(strict_types=1);

namespace Postbode;

/**
 * An entry of the backend event stream is not a well-formed event (a field is missing, data is
 * not a JSON object, ts is not an integer). EventConsumer dead-letters such entries; you see this
 * only when you call BackendEvent::fromFields() yourself. ->errorCode is INVALID_ENVELOPE.
 */
final class MalformedEvent extends \UnexpectedValueException implements PostbodeException
{
    /** The protocol's error code for a message that is not of the expected shape. */
    public const ERROR_CODE = 'INVALID_ENVELOPE';

    public readonly string $errorCode;

    public function __construct(string $message)
    {
        parent::__construct($message);
        $this->errorCode = self::ERROR_CODE;
    }
}
