import type { PublisherModel } from './build-model.js';
import { phpFile } from './php-file.js';

/** The namespace of the transports, e.g. `Postbode\Transport`. */
export const transportNamespace = (model: PublisherModel): string =>
  `${model.namespace}\\Transport`;

/** `Transport/Transport.php`: how an encoded envelope reaches the gateway. */
export function renderTransport(model: PublisherModel): string {
  return phpFile(
    { namespace: transportNamespace(model), uses: [`${model.namespace}\\PublishFailed`] },
    `
/**
 * Carries an encoded envelope to the gateway: Redis PUBLISH (PhpRedisTransport,
 * PredisTransport) or the gateway's POST /publish (HttpTransport). Implement it to publish
 * through a client of your own; throw PublishFailed on failure, never fail silently.
 */
interface Transport
{
    /**
     * @param string $channel the Redis channel the gateway subscribes to (POSTBODE_CHANNEL)
     * @param string $json    the envelope, JSON-encoded
     * @throws PublishFailed when the message could not be handed over
     */
    public function publish(string $channel, string $json): void;
}
`,
  );
}

/** `Transport/PhpRedisTransport.php`: PUBLISH through the phpredis extension. */
export function renderPhpRedisTransport(model: PublisherModel): string {
  return phpFile(
    { namespace: transportNamespace(model), uses: [`${model.namespace}\\PublishFailed`] },
    String.raw`
/**
 * Publishes with Redis PUBLISH through the phpredis extension (ext-redis), on a connection
 * you open and own.
 *
 * <code>
 * $redis = new \Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $transport = new PhpRedisTransport($redis);
 * </code>
 */
final class PhpRedisTransport implements Transport
{
    /**
     * @param \Redis $redis             a connected client
     * @param bool   $requireSubscriber true: throw PublishFailed when no gateway is subscribed
     *                                  to the channel (PUBLISH reached nobody)
     */
    public function __construct(
        private readonly \Redis $redis,
        private readonly bool $requireSubscriber = false,
    ) {
    }

    public function publish(string $channel, string $json): void
    {
        try {
            $receivers = $this->redis->publish($channel, $json);
        } catch (\RedisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $e->getMessage()),
                previous: $e,
            );
        }
        if ($receivers === false) {
            throw new PublishFailed(\sprintf(
                'Redis PUBLISH on channel "%s" failed: %s',
                $channel,
                $this->redis->getLastError() ?? 'no reply',
            ));
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $channel));
        }
    }
}
`,
  );
}

/** `Transport/PredisTransport.php`: PUBLISH through Predis. */
export function renderPredisTransport(model: PublisherModel): string {
  return phpFile(
    { namespace: transportNamespace(model), uses: [`${model.namespace}\\PublishFailed`] },
    String.raw`
/**
 * Publishes with Redis PUBLISH through Predis (predis/predis 1.1 or later), on a client you
 * create and own.
 *
 * <code>
 * $transport = new PredisTransport(new \Predis\Client('tcp://127.0.0.1:6379'));
 * </code>
 */
final class PredisTransport implements Transport
{
    /**
     * @param \Predis\ClientInterface $client            a client
     * @param bool                    $requireSubscriber true: throw PublishFailed when no gateway
     *                                                   is subscribed to the channel
     */
    public function __construct(
        private readonly \Predis\ClientInterface $client,
        private readonly bool $requireSubscriber = false,
    ) {
    }

    public function publish(string $channel, string $json): void
    {
        try {
            $receivers = $this->client->publish($channel, $json);
        } catch (\Predis\PredisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $e->getMessage()),
                previous: $e,
            );
        }
        // A client created with 'exceptions' => false returns errors instead of throwing them.
        if ($receivers instanceof \Predis\Response\ErrorInterface) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $receivers->getMessage()),
            );
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $channel));
        }
    }
}
`,
  );
}
