<?php

// The BatchEventHandler the worker script loads in the batch tests (--handler): records each
// handleBatch() call (its size) and each entry of it as JSON lines in $POSTBODE_HANDLED_FILE,
// then sleeps $POSTBODE_HANDLER_SLOW_MS (after the batch, before the consumer acknowledges it),
// reports every entry whose data.conversationId is "poison" as failed, and throws for the whole
// batch when one holds conversationId "throw".

declare(strict_types=1);

use Postbode\BackendEvent;
use Postbode\BatchEventHandler;

require_once '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

return new class (\getenv('POSTBODE_HANDLED_FILE') ?: '/dev/null', (int) (\getenv('POSTBODE_HANDLER_SLOW_MS') ?: 0)) implements BatchEventHandler {
    public function __construct(private readonly string $file, private readonly int $slowMs)
    {
    }

    public function handleBatch(array $events): array
    {
        $lines = [\json_encode(['batch' => \count($events), 'pid' => \getmypid()])];
        $failed = [];
        $throw = false;
        foreach ($events as $event) {
            $lines[] = \json_encode([
                'method' => 'handleBatch', 'id' => $event->id, 'action' => $event->action, 'site' => $event->site,
                'user' => $event->user, 'data' => $event->data, 'deliveries' => $event->deliveries,
            ]);
            $conversation = $event->data['conversationId'] ?? null;
            if ($conversation === 'poison') {
                $failed[$event->streamId] = new \RuntimeException('poison entry ' . $event->id);
            }
            $throw = $throw || $conversation === 'throw';
        }
        \file_put_contents($this->file, \implode("\n", $lines) . "\n", \FILE_APPEND | \LOCK_EX);
        if ($this->slowMs > 0) {
            \usleep($this->slowMs * 1000);
        }
        if ($throw) {
            throw new \RuntimeException('this batch fails');
        }

        return $failed;
    }

    private function single(string $method, BackendEvent $event): void
    {
        throw new \LogicException("$method called for {$event->id}: the consumer must call handleBatch()");
    }

    public function messageDelivered(BackendEvent $event): void
    {
        $this->single('messageDelivered', $event);
    }

    public function messageRead(BackendEvent $event): void
    {
        $this->single('messageRead', $event);
    }

    public function presenceOnline(BackendEvent $event): void
    {
        $this->single('presenceOnline', $event);
    }

    public function presenceOffline(BackendEvent $event): void
    {
        $this->single('presenceOffline', $event);
    }

    public function unknownAction(BackendEvent $event): void
    {
        $this->single('unknownAction', $event);
    }
};
