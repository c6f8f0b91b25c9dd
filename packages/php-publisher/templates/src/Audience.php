<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Who a message is for: users (by id), roles, everyone on the site, or any combination of
 * them. A browser gets a message once, however many parts of the audience it matches.
 *
 * An audience always names someone: users([]) and roles([]) throw InvalidPayload.
 *
 * <code>
 * Audience::user(42);
 * Audience::users([42, 43])->with(Audience::role('moderator'));
 * Audience::everyone();
 * </code>
 */
final class Audience
{
    /**
     * @param list<string> $users
     * @param list<string> $roles
     */
    private function __construct(
        private readonly array $users,
        private readonly array $roles,
        private readonly bool $everyone,
    ) {
    }

    /**
     * One user, by the id their token carries as "sub" (ints are sent as strings).
     */
    public static function user(int|string $id): self
    {
        return self::users([$id]);
    }

    /**
     * Several users, by id.
     *
     * @param list<int|string> $ids at least one
     * @throws InvalidPayload when $ids is empty or an id is not valid
     */
    public static function users(array $ids): self
    {
        $users = Check::list(
            '$ids',
            $ids,
            minItems: 1,
            item: static fn (mixed $id, string $path): string => Check::id($path, $id, ...Schema::USER_ID),
        );

        $unique = \array_values(\array_unique($users));
        self::bounded('$ids', $unique, []);

        return new self($unique, [], false);
    }

    /**
     * Every user whose token has the role.
     */
    public static function role(string $role): self
    {
        return self::roles([$role]);
    }

    /**
     * Every user whose token has one of the roles.
     *
     * @param list<string> $roles at least one
     * @throws InvalidPayload when $roles is empty or a role is not valid
     */
    public static function roles(array $roles): self
    {
        $checked = Check::list(
            '$roles',
            $roles,
            minItems: 1,
            item: static fn (mixed $role, string $path): string => Check::string($path, $role, ...Schema::ROLE_NAME),
        );

        $unique = \array_values(\array_unique($checked));
        self::bounded('$roles', [], $unique);

        return new self([], $unique, false);
    }

    /**
     * Everyone connected to the site.
     */
    public static function everyone(): self
    {
        return new self([], [], true);
    }

    /**
     * This audience and the others together (union: each browser gets the message once).
     */
    public function with(Audience ...$others): self
    {
        $users = $this->users;
        $roles = $this->roles;
        $everyone = $this->everyone;
        foreach ($others as $other) {
            $users = [...$users, ...$other->users];
            $roles = [...$roles, ...$other->roles];
            $everyone = $everyone || $other->everyone;
        }

        $users = \array_values(\array_unique($users));
        $roles = \array_values(\array_unique($roles));
        self::bounded('$others', $users, $roles);

        return new self($users, $roles, $everyone);
    }

    /**
     * The gateway refuses an audience of more than Schema::MAX_AUDIENCE_USERS users or
     * Schema::MAX_AUDIENCE_ROLES roles (issue 16): refused here, where the caller can see it.
     *
     * @param list<string> $users
     * @param list<string> $roles
     * @throws InvalidPayload
     */
    private static function bounded(string $path, array $users, array $roles): void
    {
        if (\count($users) > Schema::MAX_AUDIENCE_USERS) {
            throw new InvalidPayload($path, 'maxItems', \sprintf(
                'must name at most %d different users (the gateway refuses more), got %d',
                Schema::MAX_AUDIENCE_USERS,
                \count($users),
            ));
        }
        if (\count($roles) > Schema::MAX_AUDIENCE_ROLES) {
            throw new InvalidPayload($path, 'maxItems', \sprintf(
                'must name at most %d different roles (the gateway refuses more), got %d',
                Schema::MAX_AUDIENCE_ROLES,
                \count($roles),
            ));
        }
    }

    /**
     * The "to" of the envelope: {"users": [...], "roles": [...], "all": true}, empty parts left out.
     *
     * @return array{users?: list<string>, roles?: list<string>, all?: true}
     */
    public function toArray(): array
    {
        $to = [];
        if ($this->users !== []) {
            $to['users'] = $this->users;
        }
        if ($this->roles !== []) {
            $to['roles'] = $this->roles;
        }
        if ($this->everyone) {
            $to['all'] = true;
        }

        return $to;
    }
}
