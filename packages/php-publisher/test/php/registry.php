<?php

// Lists, by reflection, the public methods of Publisher (with their parameters) and the
// constants of Actions, for the registry coverage test.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

$publisher = new \ReflectionClass(Postbode\Publisher::class);
$methods = [];
foreach ($publisher->getMethods(\ReflectionMethod::IS_PUBLIC) as $method) {
    $methods[$method->getName()] = \array_map(
        static fn (\ReflectionParameter $p): array => [
            'name' => $p->getName(),
            'type' => (string) $p->getType(),
            'optional' => $p->isOptional(),
        ],
        $method->getParameters(),
    );
}

write_output([
    'methods' => $methods,
    'constants' => (new \ReflectionClass(Postbode\Actions::class))->getConstants(),
]);
