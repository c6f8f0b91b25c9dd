<?php

/**
 * The floor of the socket path in `pnpm bench`'s receipt cost: an EventHandler that does
 * nothing, so the generated EventConsumer's own work per entry (read in batches, decode,
 * dispatch, XACK) is what the worker spends. Run as
 * `php bin/postbode-events-worker.php --handler=bench/php/noop-handler.php`.
 */

declare(strict_types=1);

require_once getenv('DEMO_PUBLISHER_AUTOLOAD');

use Postbode\BackendEvent;
use Postbode\EventHandler;

return new class () implements EventHandler {
    public function messageDelivered(BackendEvent $event): void
    {
    }

    public function messageRead(BackendEvent $event): void
    {
    }

    public function presenceOnline(BackendEvent $event): void
    {
    }

    public function presenceOffline(BackendEvent $event): void
    {
    }

    public function unknownAction(BackendEvent $event): void
    {
    }
};
