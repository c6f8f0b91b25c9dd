<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Signs the token (a JWT) a browser passes to the gateway when it connects:
 * io(url, { auth: { token } }). HS256 with the gateway's POSTBODE_JWT_SECRET, or RS256/ES256
 * with a private key whose public key the gateway has (POSTBODE_JWT_PUBLIC_KEY or a JWKS).
 * Needs no JWT library: hash_hmac for HS256, ext-openssl for RS256 and ES256.
 *
 * <code>
 * $issuer = TokenIssuer::hs256(getenv('POSTBODE_JWT_SECRET'));
 * $token = $issuer->issue($userId, site: 'nl', roles: ['member'], ttlSeconds: 3600);
 * </code>
 */
final class TokenIssuer
{
    /** Claims set by issue()'s own parameters, which $extraClaims may not override. */
    private const OWN_CLAIMS = ['sub', 'site', 'roles', 'iat', 'exp'];

    /** The shortest HS256 secret, in bytes (RFC 7518 section 3.2); the gateway has the same limit. */
    public const MIN_SECRET_BYTES = 32;

    private const JSON_FLAGS = \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE;

    private function __construct(
        private readonly string $algorithm,
        private readonly string|\OpenSSLAsymmetricKey $key,
        private readonly ?string $keyId,
    ) {
    }

    /**
     * HMAC with SHA-256 and the shared secret the gateway has as POSTBODE_JWT_SECRET.
     *
     * @param string      $secret at least 32 bytes of secret
     * @param string|null $keyId  a "kid" header, when the gateway uses a JWKS
     */
    public static function hs256(#[\SensitiveParameter] string $secret, ?string $keyId = null): self
    {
        if (\strlen($secret) < self::MIN_SECRET_BYTES) {
            throw new InvalidArgument('$secret', \sprintf('must be at least %d bytes long for HS256 (RFC 7518 section 3.2; the gateway refuses a shorter POSTBODE_JWT_SECRET too), got %d', self::MIN_SECRET_BYTES, \strlen($secret)));
        }

        return new self('HS256', $secret, $keyId);
    }

    /**
     * RSA with SHA-256 (RSASSA-PKCS1-v1_5) and a private key of at least 2048 bits.
     *
     * @param string      $privateKeyPem a PEM private key ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY")
     * @param string|null $passphrase    the key's passphrase, if it is encrypted
     * @param string|null $keyId         a "kid" header, when the gateway uses a JWKS
     */
    public static function rs256(
        #[\SensitiveParameter] string $privateKeyPem,
        #[\SensitiveParameter] ?string $passphrase = null,
        ?string $keyId = null,
    ): self {
        $key = self::privateKey($privateKeyPem, $passphrase);
        $details = \openssl_pkey_get_details($key);
        if ($details === false || $details['type'] !== \OPENSSL_KEYTYPE_RSA || $details['bits'] < 2048) {
            throw new InvalidArgument('$privateKeyPem', 'must be an RSA private key of at least 2048 bits for RS256');
        }

        return new self('RS256', $key, $keyId);
    }

    /**
     * ECDSA with the P-256 curve and SHA-256.
     *
     * @param string      $privateKeyPem a PEM private key ("BEGIN PRIVATE KEY" or "BEGIN EC PRIVATE KEY")
     * @param string|null $passphrase    the key's passphrase, if it is encrypted
     * @param string|null $keyId         a "kid" header, when the gateway uses a JWKS
     */
    public static function es256(
        #[\SensitiveParameter] string $privateKeyPem,
        #[\SensitiveParameter] ?string $passphrase = null,
        ?string $keyId = null,
    ): self {
        $key = self::privateKey($privateKeyPem, $passphrase);
        $details = \openssl_pkey_get_details($key);
        if ($details === false || $details['type'] !== \OPENSSL_KEYTYPE_EC
            || ($details['ec']['curve_name'] ?? null) !== 'prime256v1') {
            throw new InvalidArgument('$privateKeyPem', 'must be an EC private key on the P-256 curve (prime256v1) for ES256');
        }

        return new self('ES256', $key, $keyId);
    }

    /**
     * A signed token for a user.
     *
     * @param int|string           $userId      the user's id, the "sub" claim (ints are sent as strings)
     * @param string|null          $site        the site (tenant); null: the gateway's default (Schema::DEFAULT_SITE)
     * @param list<string>         $roles       the user's roles, for messages sent to a role
     * @param int                  $ttlSeconds  seconds until the token expires ("exp")
     * @param array<string, mixed> $extraClaims more claims, e.g. ['aud' => 'postbode', 'iss' => 'https://example.nl']
     * @throws InvalidPayload when $userId, $site or $roles break a rule of the protocol
     * @throws InvalidArgument when $ttlSeconds is not positive or an extra claim is one of issue()'s own
     */
    public function issue(
        int|string $userId,
        ?string $site = null,
        array $roles = [],
        int $ttlSeconds = 3600,
        array $extraClaims = [],
    ): string {
        $claims = ['sub' => Check::id('$userId', $userId, ...Schema::USER_ID)];
        if ($site !== null) {
            $claims['site'] = Check::string('$site', $site, ...Schema::SITE_NAME);
        }
        if ($roles !== []) {
            $claims['roles'] = Check::list(
                '$roles',
                $roles,
                item: static fn (mixed $role, string $path): string => Check::string($path, $role, ...Schema::ROLE_NAME),
            );
        }
        if ($ttlSeconds <= 0) {
            throw new InvalidArgument('$ttlSeconds', 'must be more than 0');
        }
        $now = \time();
        $claims['iat'] = $now;
        $claims['exp'] = $now + $ttlSeconds;
        foreach ($extraClaims as $name => $value) {
            if (\in_array($name, self::OWN_CLAIMS, true)) {
                throw new InvalidArgument(
                    '$extraClaims',
                    \sprintf('must not set the "%s" claim: set it with the parameter of issue()', $name),
                );
            }
            $claims[$name] = $value;
        }

        $header = ['alg' => $this->algorithm, 'typ' => 'JWT'];
        if ($this->keyId !== null) {
            $header['kid'] = $this->keyId;
        }
        try {
            $input = self::base64url(\json_encode($header, self::JSON_FLAGS))
                . '.' . self::base64url(\json_encode($claims, self::JSON_FLAGS));
        } catch (\JsonException $e) {
            throw new InvalidPayload('$extraClaims', 'json', 'cannot be encoded as JSON: ' . $e->getMessage());
        }

        return $input . '.' . self::base64url($this->sign($input));
    }

    private function sign(string $input): string
    {
        if (\is_string($this->key)) {
            return \hash_hmac('sha256', $input, $this->key, true);
        }
        if (!\openssl_sign($input, $signature, $this->key, \OPENSSL_ALGO_SHA256)) {
            throw new SigningFailed('openssl_sign failed: ' . (\openssl_error_string() ?: 'unknown error'));
        }

        return $this->algorithm === 'ES256' ? self::derToRaw($signature, 32) : $signature;
    }

    /**
     * JWS wants an ECDSA signature as R || S, each $size bytes (RFC 7518, 3.4); OpenSSL gives
     * DER: SEQUENCE { INTEGER r, INTEGER s }.
     */
    private static function derToRaw(string $der, int $size): string
    {
        $offset = 2;
        if (\ord($der[1]) & 0x80) {
            $offset += \ord($der[1]) & 0x7f;
        }
        $raw = '';
        for ($i = 0; $i < 2; $i++) {
            $length = \ord($der[$offset + 1]);
            $integer = \ltrim(\substr($der, $offset + 2, $length), "\0");
            $raw .= \str_pad($integer, $size, "\0", \STR_PAD_LEFT);
            $offset += 2 + $length;
        }

        return $raw;
    }

    private static function privateKey(string $pem, ?string $passphrase): \OpenSSLAsymmetricKey
    {
        $key = \openssl_pkey_get_private($pem, $passphrase);
        if ($key === false) {
            throw new InvalidArgument('$privateKeyPem', 'is not a PEM private key (or the passphrase is wrong)');
        }

        return $key;
    }

    private static function base64url(string $bytes): string
    {
        return \rtrim(\strtr(\base64_encode($bytes), '+/', '-_'), '=');
    }
}
