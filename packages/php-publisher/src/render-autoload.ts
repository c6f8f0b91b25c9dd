import type { PublisherModel } from './build-model.js';
import { GENERATED_NOTICE } from './php-file.js';
import { phpString } from './php-names.js';

/** `autoload.php`: a PSR-4 autoloader for applications without composer. */
export function renderAutoload(model: PublisherModel): string {
  return `<?php

/**
 * ${GENERATED_NOTICE.join('\n * ')}
 *
 * For applications without composer: require_once this file to load the ${model.namespace}
 * classes from src/ (PSR-4). With composer, use its autoloader instead.
 */

declare(strict_types=1);

\\spl_autoload_register(static function (string $class): void {
    $prefix = ${phpString(`${model.namespace}\\`)};
    if (\\strncmp($class, $prefix, \\strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . \\str_replace('\\\\', '/', \\substr($class, \\strlen($prefix))) . '.php';
    if (\\is_file($file)) {
        require $file;
    }
});
`;
}
