import { type BuildModelOptions, buildModel, type PublisherModel } from './build-model.js';
import { readPhpTemplates, renderPhpTemplate } from './php-templates.js';
import { COPIED_SCRIPTS, readProtocolScript } from './protocol-scripts.js';
import { renderActions } from './render-actions.js';
import { renderAutoload } from './render-autoload.js';
import { renderComposerJson } from './render-composer-json.js';
import { renderEventHandler, renderEventRouter } from './render-event-handler.js';
import { renderPublisher } from './render-publisher.js';
import { renderReadme } from './render-readme.js';

/** One file of the generated composer package. */
export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators, e.g. `src/Publisher.php`. */
  path: string;
  contents: string;
}

/** Options of {@link generatePhpPackage}: those of the model. */
export type GeneratePhpPackageOptions = BuildModelOptions;

/**
 * The files that depend on the schemas; every other file is a template (`templates/`) or a
 * script of the protocol, copied ({@link COPIED_SCRIPTS}).
 */
const RENDERERS: Record<string, (model: PublisherModel) => string> = {
  'README.md': renderReadme,
  'autoload.php': renderAutoload,
  'composer.json': renderComposerJson,
  'src/Actions.php': renderActions,
  'src/EventHandler.php': renderEventHandler,
  'src/EventRouter.php': renderEventRouter,
  'src/Publisher.php': renderPublisher,
};

/**
 * The whole generator in memory: registry → model → the files of the composer package (the
 * rendered ones, the templates filled in, and the protocol's `read.lua`), sorted by path.
 * Writes nothing; deterministic: the same protocol and templates give the same bytes.
 *
 * @example
 * for (const file of generatePhpPackage({ namespace: 'Postbode' })) console.log(file.path);
 */
export function generatePhpPackage(options: GeneratePhpPackageOptions = {}): GeneratedFile[] {
  const model = buildModel(options);
  const files = Object.entries(RENDERERS).map(([path, render]) => ({
    path,
    contents: render(model),
  }));
  for (const [path, name] of Object.entries(COPIED_SCRIPTS)) {
    files.push({ path, contents: readProtocolScript(name) });
  }
  for (const template of readPhpTemplates()) {
    if (files.some((file) => file.path === template.path)) {
      throw new TypeError(`templates/${template.path} is also rendered or copied`);
    }
    files.push({ path: template.path, contents: renderPhpTemplate(template, model) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
