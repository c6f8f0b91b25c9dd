import type { PublisherModel } from './build-model.js';
import { phpFile } from './php-file.js';

/** `PostbodeException.php`: the interface every exception of the package implements. */
export function renderPostbodeException(model: PublisherModel): string {
  return phpFile(
    { namespace: model.namespace },
    String.raw`
/**
 * Implemented by every exception this package throws, to catch them all in one place:
 * InvalidPayload (a bad argument, nothing was sent) and PublishFailed (the transport failed).
 */
interface PostbodeException extends \Throwable
{
}
`,
  );
}

/** `InvalidPayload.php`: thrown before sending when an argument breaks a protocol rule. */
export function renderInvalidPayload(model: PublisherModel): string {
  return phpFile(
    { namespace: model.namespace },
    String.raw`
/**
 * An argument breaks a rule of the Postbode protocol; nothing was sent. The message names the
 * parameter (with the path inside arrays, e.g. $attachments[0]['url']) and the rule; it never
 * contains the value of a string.
 *
 * Types that PHP checks itself (a string where an int is declared) raise a \TypeError instead.
 */
final class InvalidPayload extends \InvalidArgumentException implements PostbodeException
{
    /**
     * @param string $parameter the parameter, e.g. '$body' or "$attachments[0]['url']"
     * @param string $rule      the JSON Schema keyword that failed, e.g. 'maxLength', 'enum', 'required'
     * @param string $problem   what was wrong and what was expected
     */
    public function __construct(
        public readonly string $parameter,
        public readonly string $rule,
        string $problem,
    ) {
        parent::__construct($parameter . ' ' . $problem . ' (' . $rule . ')');
    }

    /**
     * A value of the wrong type.
     *
     * @internal
     */
    public static function type(string $parameter, string $expected, mixed $value): self
    {
        return new self($parameter, 'type', 'must be ' . $expected . ', got ' . \get_debug_type($value));
    }
}
`,
  );
}

/** `PublishFailed.php`: thrown when a transport could not hand a message over. */
export function renderPublishFailed(model: PublisherModel): string {
  return phpFile(
    { namespace: model.namespace },
    String.raw`
/**
 * A message could not be published: Redis was unreachable or answered an error, or the
 * gateway's POST /publish failed (then $httpStatus and $errorCode say how). Never silent.
 */
final class PublishFailed extends \RuntimeException implements PostbodeException
{
    /**
     * @param string          $message    what failed; never contains a key or a payload
     * @param int|null        $httpStatus the gateway's HTTP status, for HttpTransport
     * @param string|null     $errorCode  the gateway's error code, e.g. 'INVALID_PAYLOAD', 'UNAUTHORIZED'
     * @param \Throwable|null $previous   the underlying error, e.g. a \RedisException
     */
    public function __construct(
        string $message,
        public readonly ?int $httpStatus = null,
        public readonly ?string $errorCode = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $httpStatus ?? 0, $previous);
    }
}
`,
  );
}
