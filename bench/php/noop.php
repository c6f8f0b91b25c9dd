<?php

/**
 * The floor of the legacy HTTP path in `pnpm bench`'s receipt cost: a request that php-fpm
 * runs and answers 204, doing nothing else (no autoload, no Redis, no session).
 */

declare(strict_types=1);

http_response_code(204);
