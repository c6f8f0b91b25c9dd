<?php

// The handler file the worker script loads in the tests (--handler): records each call as a
// JSON line in $POSTBODE_HANDLED_FILE, sleeps $POSTBODE_HANDLER_SLOW_MS per entry, and fails
// every entry whose data.conversationId is "poison".

declare(strict_types=1);

use Postbode\BackendEvent;
use Postbode\EventHandler;

require_once '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

return new class (\getenv('POSTBODE_HANDLED_FILE') ?: '/dev/null', (int) (\getenv('POSTBODE_HANDLER_SLOW_MS') ?: 0)) implements EventHandler {
    public function __construct(private readonly string $file, private readonly int $slowMs)
    {
    }

    private function record(string $method, BackendEvent $event): void
    {
        if ($this->slowMs > 0) {
            \usleep($this->slowMs * 1000);
        }
        $line = \json_encode([
            'method' => $method, 'id' => $event->id, 'action' => $event->action, 'site' => $event->site,
            'user' => $event->user, 'data' => $event->data, 'deliveries' => $event->deliveries,
        ]);
        \file_put_contents($this->file, $line . "\n", \FILE_APPEND | \LOCK_EX);
        if (($event->data['conversationId'] ?? null) === 'poison') {
            throw new \RuntimeException('poison entry ' . $event->id);
        }
    }

    public function messageDelivered(BackendEvent $event): void
    {
        $this->record('messageDelivered', $event);
    }

    public function messageRead(BackendEvent $event): void
    {
        $this->record('messageRead', $event);
    }

    public function presenceOnline(BackendEvent $event): void
    {
        $this->record('presenceOnline', $event);
    }

    public function presenceOffline(BackendEvent $event): void
    {
        $this->record('presenceOffline', $event);
    }

    public function unknownAction(BackendEvent $event): void
    {
        $this->record('unknownAction', $event);
    }
};
