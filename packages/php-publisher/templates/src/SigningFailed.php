<?php

declare(strict_types=1);

namespace Postbode;

/**
 * ext-openssl could not sign a token (RS256, ES256) with a key it had accepted. ->errorCode is
 * INTERNAL: nothing the caller passed was wrong.
 */
final class SigningFailed extends \RuntimeException implements PostbodeException
{
    /** The protocol's error code for an unexpected failure. */
    public const ERROR_CODE = 'INTERNAL';

    public readonly string $errorCode;

    public function __construct(string $message)
    {
        parent::__construct($message);
        $this->errorCode = self::ERROR_CODE;
    }
}
