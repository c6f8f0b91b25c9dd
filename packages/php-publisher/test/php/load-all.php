<?php

// Loads every class and interface of the generated package through its autoload.php and lists
// them, sorted: each PHP file compiles and declares what its path says, on this PHP version.

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

$src = $phpDir . '/src';
$loaded = [];
$files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($src, \FilesystemIterator::SKIP_DOTS));
foreach ($files as $file) {
    if ($file->getExtension() !== 'php') {
        continue;
    }
    $name = 'Postbode\\' . \str_replace('/', '\\', \substr($file->getPathname(), \strlen($src) + 1, -4));
    if (!\class_exists($name) && !\interface_exists($name)) {
        fail("$name is not declared by its file");
    }
    $loaded[] = $name;
}
\sort($loaded);
write_output($loaded);
