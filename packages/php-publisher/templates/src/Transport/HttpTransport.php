<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\InvalidArgument;
use Postbode\PublishFailed;

/**
 * Publishes through the gateway's POST /publish, authenticated with its publish key
 * (POSTBODE_PUBLISH_KEY), for applications without Redis access. Durable: the gateway appends
 * the envelope to its stream, as PhpRedisTransport does. It cannot read the stream's cursor:
 * Publisher::cursor() throws CursorUnavailable with it. Uses PHP's HTTP stream wrapper: no
 * extension needed (https needs ext-openssl).
 *
 * A failure throws PublishFailed with the HTTP status ($httpStatus) and the gateway's error
 * code ($errorCode, e.g. 'UNAUTHORIZED', 'INVALID_PAYLOAD', 'TOO_LARGE') and message.
 *
 * <code>
 * $transport = new HttpTransport('http://127.0.0.1:3000', getenv('POSTBODE_PUBLISH_KEY'));
 * </code>
 */
final class HttpTransport implements Transport
{
    private readonly string $url;

    private readonly string $publishKey;

    /**
     * @param string $gatewayUrl     the gateway's base URL, e.g. 'http://127.0.0.1:3000'
     * @param string $publishKey     the gateway's POSTBODE_PUBLISH_KEY
     * @param float  $timeoutSeconds how long to wait for the connection and for the answer
     */
    public function __construct(
        string $gatewayUrl,
        #[\SensitiveParameter] string $publishKey,
        private readonly float $timeoutSeconds = 5.0,
    ) {
        $scheme = \parse_url($gatewayUrl, \PHP_URL_SCHEME);
        if ($scheme !== 'http' && $scheme !== 'https') {
            throw new InvalidArgument('$gatewayUrl', 'must be an http:// or https:// URL');
        }
        if ($publishKey === '') {
            throw new InvalidArgument('$publishKey', 'must not be empty');
        }
        if ($timeoutSeconds <= 0) {
            throw new InvalidArgument('$timeoutSeconds', 'must be more than 0');
        }
        $this->url = \rtrim($gatewayUrl, '/') . '/publish';
        $this->publishKey = $publishKey;
    }

    /**
     * Posts the envelope; the gateway answers once it has appended it to its stream.
     */
    public function publish(string $json): void
    {
        $context = \stream_context_create([
            'http' => [
                'method' => 'POST',
                'header' => \implode("\r\n", [
                    'Content-Type: application/json',
                    'Accept: application/json',
                    'Authorization: Bearer ' . $this->publishKey,
                    'Connection: close',
                ]),
                'content' => $json,
                'timeout' => $this->timeoutSeconds,
                'ignore_errors' => true,
                'follow_location' => 0,
                'protocol_version' => 1.1,
            ],
        ]);

        $warning = null;
        \set_error_handler(static function (int $type, string $message) use (&$warning): bool {
            $warning = $message;

            return true;
        });
        try {
            $stream = \fopen($this->url, 'rb', false, $context);
            $body = $stream === false ? false : \stream_get_contents($stream);
            $meta = $stream === false ? [] : \stream_get_meta_data($stream);
        } finally {
            \restore_error_handler();
        }
        if ($stream !== false) {
            \fclose($stream);
        }

        if ($stream === false || $body === false || ($meta['timed_out'] ?? false)) {
            throw new PublishFailed(\sprintf(
                'POST %s failed: %s',
                $this->url,
                ($meta['timed_out'] ?? false) ? 'timed out' : ($warning ?? 'no answer'),
            ));
        }

        $status = self::status($meta['wrapper_data'] ?? []);
        if ($status >= 200 && $status < 300) {
            return;
        }
        [$code, $message] = self::error($body);
        throw new PublishFailed(
            \sprintf('POST %s answered %d%s: %s', $this->url, $status, $code === null ? '' : ' ' . $code, $message),
            httpStatus: $status,
            errorCode: $code,
        );
    }

    /**
     * The status of the last response in the headers ("HTTP/1.1 202 Accepted").
     *
     * @param array<mixed> $headers
     */
    private static function status(array $headers): int
    {
        $status = 0;
        foreach ($headers as $header) {
            if (\is_string($header) && \preg_match('#^HTTP/\S+\s+(\d{3})#', $header, $match) === 1) {
                $status = (int) $match[1];
            }
        }

        return $status;
    }

    /**
     * The gateway's error code and message: {"ok": false, "error": {"code", "message"}}.
     *
     * @return array{0: string|null, 1: string}
     */
    private static function error(string $body): array
    {
        try {
            $answer = \json_decode($body, true, 8, \JSON_THROW_ON_ERROR);
        } catch (\JsonException) {
            $answer = null;
        }
        $error = \is_array($answer) && \is_array($answer['error'] ?? null) ? $answer['error'] : [];
        $code = \is_string($error['code'] ?? null) ? $error['code'] : null;
        if (\is_string($error['message'] ?? null)) {
            return [$code, $error['message']];
        }
        $text = \trim(\substr($body, 0, 200));

        return [$code, $text === '' ? 'no error message' : $text];
    }
}
