<?php

declare(strict_types=1);

namespace Postbode;

/**
 * A setting or an argument outside the payload is not usable: a short HS256 secret, a key of the
 * wrong kind, an empty stream or channel name, a gateway URL that is not http(s), a limit out of
 * range. Raised where the object is made, before anything is sent. ->errorCode is the protocol's
 * INVALID_CONFIG (the code the gateway uses for its own bad settings); ->parameter names what was
 * wrong. Never contains a secret.
 */
final class InvalidArgument extends \InvalidArgumentException implements PostbodeException
{
    /** The protocol's error code for a bad setting. */
    public const ERROR_CODE = 'INVALID_CONFIG';

    public readonly string $errorCode;

    /**
     * @param string $parameter the parameter, e.g. '$secret', '$gatewayUrl'
     * @param string $problem   what was wrong and what was expected
     */
    public function __construct(public readonly string $parameter, string $problem)
    {
        parent::__construct($parameter . ' ' . $problem);
        $this->errorCode = self::ERROR_CODE;
    }
}
