/**
 * `@postbode/php-publisher`: generates the PHP publisher (typed `Publisher`, `Audience`,
 * `Actions`, transports, `TokenIssuer`) from the protocol, as a composer package. Phases:
 * registry → model → PHP text (renderers for what depends on the schemas, the `templates/`
 * for the rest). The `postbode-php` bin writes it to a directory.
 *
 * @example
 * import { generatePhpPackage } from '@postbode/php-publisher';
 * for (const file of generatePhpPackage({ namespace: 'Acme\\Realtime' })) console.log(file.path);
 * @packageDocumentation
 */

export {
  type GeneratedFile,
  type GeneratePhpPackageOptions,
  generatePhpPackage,
} from './generate-php-package.js';
export { GENERATED_MARKER } from './php-file.js';
export { phpConstantName, phpMethodName } from './php-names.js';
export { UnsupportedSchemaError } from './unsupported-schema-error.js';
