<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Checks values against the rules of the Postbode protocol before anything is sent, so that a
 * bad argument fails at the call that passed it, naming the parameter and the rule.
 *
 * Lengths count Unicode code points, as the gateway does. Messages never contain the value of
 * a string, only its length.
 *
 * @internal used by the generated classes; not part of the public API
 */
final class Check
{
    private function __construct()
    {
    }

    /**
     * An id: an int or a string, returned as a string.
     */
    public static function id(
        string $path,
        mixed $value,
        ?int $minLength = null,
        ?int $maxLength = null,
        ?string $pattern = null,
    ): string {
        if (\is_int($value)) {
            $value = (string) $value;
        } elseif (!\is_string($value)) {
            throw InvalidPayload::type($path, 'an int or a string', $value);
        }

        return self::string($path, $value, $minLength, $maxLength, $pattern);
    }

    /**
     * A string of valid UTF-8, its length in code points between the bounds, matching the
     * pattern (a PCRE pattern) when one is given.
     */
    public static function string(
        string $path,
        mixed $value,
        ?int $minLength = null,
        ?int $maxLength = null,
        ?string $pattern = null,
    ): string {
        if (!\is_string($value)) {
            throw InvalidPayload::type($path, 'a string', $value);
        }
        if (\preg_match('//u', $value) !== 1) {
            throw new InvalidPayload($path, 'utf8', 'must be valid UTF-8');
        }
        if ($minLength !== null || $maxLength !== null) {
            $length = self::length($value);
            if ($minLength !== null && $length < $minLength) {
                throw new InvalidPayload(
                    $path,
                    'minLength',
                    $length === 0 && $minLength === 1
                        ? 'must not be empty'
                        : \sprintf('must be at least %d characters long, got %d', $minLength, $length),
                );
            }
            if ($maxLength !== null && $length > $maxLength) {
                throw new InvalidPayload(
                    $path,
                    'maxLength',
                    \sprintf('must be at most %d characters long, got %d', $maxLength, $length),
                );
            }
        }
        if ($pattern !== null && \preg_match($pattern, $value) !== 1) {
            throw new InvalidPayload($path, 'pattern', \sprintf('must match %s', $pattern));
        }

        return $value;
    }

    /**
     * One of the allowed strings.
     *
     * @param list<string> $allowed
     */
    public static function oneOf(string $path, mixed $value, array $allowed): string
    {
        if (!\is_string($value) || !\in_array($value, $allowed, true)) {
            $quoted = \array_map(static fn (string $item): string => '"' . $item . '"', $allowed);
            $got = \is_string($value) && \strlen($value) <= 40 && \preg_match('//u', $value) === 1
                ? '"' . $value . '"'
                : \get_debug_type($value);
            throw new InvalidPayload(
                $path,
                'enum',
                \sprintf('must be one of %s, got %s', \implode(', ', $quoted), $got),
            );
        }

        return $value;
    }

    /**
     * An int within the bounds.
     */
    public static function integer(
        string $path,
        mixed $value,
        int|float|null $minimum = null,
        int|float|null $maximum = null,
        int|float|null $exclusiveMinimum = null,
        int|float|null $exclusiveMaximum = null,
    ): int {
        if (!\is_int($value)) {
            throw InvalidPayload::type($path, 'an int', $value);
        }
        self::bounds($path, $value, $minimum, $maximum, $exclusiveMinimum, $exclusiveMaximum);

        return $value;
    }

    /**
     * A point in time as integer milliseconds since the Unix epoch: an int (taken as
     * milliseconds) or a \DateTimeInterface (converted).
     */
    public static function timestamp(
        string $path,
        mixed $value,
        int|float|null $minimum = null,
        int|float|null $maximum = null,
        int|float|null $exclusiveMinimum = null,
        int|float|null $exclusiveMaximum = null,
    ): int {
        if ($value instanceof \DateTimeInterface) {
            $value = (int) $value->format('U') * 1000 + (int) $value->format('v');
        } elseif (!\is_int($value)) {
            throw InvalidPayload::type($path, 'an int (milliseconds) or a \DateTimeInterface', $value);
        }
        self::bounds($path, $value, $minimum, $maximum, $exclusiveMinimum, $exclusiveMaximum);

        return $value;
    }

    /**
     * A finite int or float within the bounds.
     */
    public static function number(
        string $path,
        mixed $value,
        int|float|null $minimum = null,
        int|float|null $maximum = null,
        int|float|null $exclusiveMinimum = null,
        int|float|null $exclusiveMaximum = null,
    ): int|float {
        if (!\is_int($value) && !\is_float($value)) {
            throw InvalidPayload::type($path, 'an int or a float', $value);
        }
        if (\is_float($value) && !\is_finite($value)) {
            throw new InvalidPayload($path, 'finite', 'must be a finite number');
        }
        self::bounds($path, $value, $minimum, $maximum, $exclusiveMinimum, $exclusiveMaximum);

        return $value;
    }

    /**
     * A bool.
     */
    public static function boolean(string $path, mixed $value): bool
    {
        if (!\is_bool($value)) {
            throw InvalidPayload::type($path, 'a bool', $value);
        }

        return $value;
    }

    /**
     * A list (keys 0, 1, 2, ...) with a number of items between the bounds, each checked by
     * $item, which gets the item and its path.
     *
     * @template T
     * @param callable(mixed, string): T $item
     * @return list<T>
     */
    public static function list(
        string $path,
        mixed $value,
        ?int $minItems = null,
        ?int $maxItems = null,
        ?callable $item = null,
    ): array {
        if (!\is_array($value)) {
            throw InvalidPayload::type($path, 'a list', $value);
        }
        if (!\array_is_list($value)) {
            throw new InvalidPayload($path, 'type', 'must be a list (keys 0, 1, 2, ...), got an array with other keys');
        }
        $count = \count($value);
        if ($minItems !== null && $count < $minItems) {
            throw new InvalidPayload(
                $path,
                'minItems',
                $count === 0 && $minItems === 1
                    ? 'must not be empty'
                    : \sprintf('must have at least %d items, got %d', $minItems, $count),
            );
        }
        if ($maxItems !== null && $count > $maxItems) {
            throw new InvalidPayload(
                $path,
                'maxItems',
                \sprintf('must have at most %d items, got %d', $maxItems, $count),
            );
        }
        if ($item === null) {
            return $value;
        }
        $checked = [];
        foreach ($value as $index => $entry) {
            $checked[] = $item($entry, $path . '[' . $index . ']');
        }

        return $checked;
    }

    /**
     * An array with string keys (a JSON object): every required key present, no other keys
     * than those listed. Optional keys whose value is null count as absent and are removed.
     *
     * @param list<string> $required
     * @param list<string> $optional
     * @return array<string, mixed>
     */
    public static function shape(string $path, mixed $value, array $required, array $optional = []): array
    {
        if (!\is_array($value) || ($value !== [] && \array_is_list($value))) {
            throw InvalidPayload::type($path, 'an array with the keys ' . \implode(', ', $required), $value);
        }
        foreach (\array_keys($value) as $key) {
            if (!\in_array($key, $required, true) && !\in_array($key, $optional, true)) {
                throw new InvalidPayload(
                    self::key($path, (string) $key),
                    'additionalProperties',
                    'is not an allowed key; allowed: ' . \implode(', ', [...$required, ...$optional]),
                );
            }
        }
        foreach ($required as $key) {
            if (!\array_key_exists($key, $value)) {
                throw new InvalidPayload(self::key($path, $key), 'required', 'is required but missing');
            }
        }
        foreach ($optional as $key) {
            if (\array_key_exists($key, $value) && $value[$key] === null) {
                unset($value[$key]);
            }
        }

        return $value;
    }

    /**
     * The path of a key below $path, e.g. $attachments[0]['url'].
     */
    public static function key(string $path, string $key): string
    {
        return $path . '[' . \var_export($key, true) . ']';
    }

    private static function bounds(
        string $path,
        int|float $value,
        int|float|null $minimum,
        int|float|null $maximum,
        int|float|null $exclusiveMinimum,
        int|float|null $exclusiveMaximum,
    ): void {
        if ($minimum !== null && $value < $minimum) {
            throw new InvalidPayload($path, 'minimum', \sprintf('must be at least %s, got %s', $minimum, $value));
        }
        if ($maximum !== null && $value > $maximum) {
            throw new InvalidPayload($path, 'maximum', \sprintf('must be at most %s, got %s', $maximum, $value));
        }
        if ($exclusiveMinimum !== null && $value <= $exclusiveMinimum) {
            throw new InvalidPayload(
                $path,
                'exclusiveMinimum',
                \sprintf('must be greater than %s, got %s', $exclusiveMinimum, $value),
            );
        }
        if ($exclusiveMaximum !== null && $value >= $exclusiveMaximum) {
            throw new InvalidPayload(
                $path,
                'exclusiveMaximum',
                \sprintf('must be less than %s, got %s', $exclusiveMaximum, $value),
            );
        }
    }

    /**
     * The length in Unicode code points (mbstring is optional, PCRE is always there).
     */
    private static function length(string $value): int
    {
        return \function_exists('mb_strlen')
            ? \mb_strlen($value, 'UTF-8')
            : (int) \preg_match_all('/./su', $value);
    }
}
