<?php

declare(strict_types=1);

namespace Postbode;

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
