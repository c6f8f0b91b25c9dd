/**
 * `@postbode/php-publisher`: generates the PHP publisher (typed `Publisher`, `Audience`,
 * `Actions`, transports, `TokenIssuer`) from the protocol, as a composer package. Phases:
 * registry → model (`buildModel`) → PHP text (renderers over a `CodeWriter`).
 * @packageDocumentation
 */

export { assertNever } from './assert-never.js';
export {
  type ActionModel,
  ALL_ACTIONS_CONSTANT,
  AUDIENCE_PARAMETER,
  BUILD_MODEL_DEFAULTS,
  type BuildModelOptions,
  buildModel,
  DEFAULT_CHANNEL,
  type ParamModel,
  PUBLISHER_MEMBERS,
  type PublisherModel,
  type ShapeModel,
} from './build-model.js';
export { CODE_WRITER_DEFAULTS, CodeWriter, type CodeWriterOptions } from './code-writer.js';
export {
  type GeneratedFile,
  type GeneratePhpPackageOptions,
  generatePhpPackage,
} from './generate-php-package.js';
export {
  call,
  flatExpr,
  type PhpExpr,
  type PrintExprOptions,
  prefixed,
  printExpr,
  raw,
} from './php-expr.js';
export {
  GENERATED_MARKER,
  GENERATED_NOTICE,
  type PhpFileOptions,
  startPhpFile,
} from './php-file.js';
export {
  isPhpIdentifier,
  PHP_RESERVED_WORDS,
  phpCheckerName,
  phpConstantName,
  phpDocShapeKey,
  phpDocText,
  phpLiteral,
  phpMethodName,
  phpNamespace,
  phpParameterName,
  phpPascalName,
  phpRegex,
  phpString,
  splitWords,
} from './php-names.js';
export {
  type JsonSchema,
  mapObjectFields,
  mapSchema,
  type NumberBounds,
  type PhpField,
  type PhpTypes,
  type PhpValue,
  phpTypes,
  phpWireType,
  type SchemaKind,
  type StringBounds,
  schemaKind,
} from './php-type.js';
export { COMPOSER_PACKAGE } from './render-composer-json.js';
export { readmeExample } from './render-readme.js';
export { UnsupportedSchemaError } from './unsupported-schema-error.js';
