import { type BuildModelOptions, buildModel, type PublisherModel } from './build-model.js';
import { renderActions } from './render-actions.js';
import { renderAudience } from './render-audience.js';
import { renderAutoload } from './render-autoload.js';
import { renderCheck } from './render-check.js';
import { renderComposerJson } from './render-composer-json.js';
import { renderEnvelope } from './render-envelope.js';
import {
  renderInvalidPayload,
  renderPostbodeException,
  renderPublishFailed,
} from './render-exceptions.js';
import { renderHttpTransport } from './render-http-transport.js';
import { renderPublisher } from './render-publisher.js';
import { renderReadme } from './render-readme.js';
import { renderTokenIssuer } from './render-token-issuer.js';
import {
  renderPhpRedisTransport,
  renderPredisTransport,
  renderTransport,
} from './render-transports.js';

/** One file of the generated composer package. */
export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators, e.g. `src/Publisher.php`. */
  path: string;
  contents: string;
}

/** Options of {@link generatePhpPackage}: those of the model. */
export type GeneratePhpPackageOptions = BuildModelOptions;

const RENDERERS: Record<string, (model: PublisherModel) => string> = {
  'README.md': renderReadme,
  'autoload.php': renderAutoload,
  'composer.json': renderComposerJson,
  'src/Actions.php': renderActions,
  'src/Audience.php': renderAudience,
  'src/Check.php': renderCheck,
  'src/Envelope.php': renderEnvelope,
  'src/InvalidPayload.php': renderInvalidPayload,
  'src/PostbodeException.php': renderPostbodeException,
  'src/PublishFailed.php': renderPublishFailed,
  'src/Publisher.php': renderPublisher,
  'src/TokenIssuer.php': renderTokenIssuer,
  'src/Transport/HttpTransport.php': renderHttpTransport,
  'src/Transport/PhpRedisTransport.php': renderPhpRedisTransport,
  'src/Transport/PredisTransport.php': renderPredisTransport,
  'src/Transport/Transport.php': renderTransport,
};

/**
 * The whole generator in memory: registry → model → the files of the composer package,
 * sorted by path. Pure and deterministic: the same protocol gives the same bytes.
 *
 * @example
 * for (const file of generatePhpPackage({ namespace: 'Postbode' })) console.log(file.path);
 */
export function generatePhpPackage(options: GeneratePhpPackageOptions = {}): GeneratedFile[] {
  const model = buildModel(options);
  return Object.keys(RENDERERS)
    .sort()
    .map((path) => ({ path, contents: (RENDERERS[path] as (m: PublisherModel) => string)(model) }));
}
