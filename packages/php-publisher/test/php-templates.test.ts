import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/build-model.js';
import { generatePhpPackage } from '../src/generate-php-package.js';
import { GENERATED_MARKER } from '../src/php-file.js';
import {
  type PhpTemplate,
  readPhpTemplates,
  renderPhpTemplate,
  TEMPLATE_NAMESPACE,
} from '../src/php-templates.js';

const model = buildModel({ namespace: 'Acme\\Realtime' });

const template = (body: string): PhpTemplate => ({
  path: 'src/Example.php',
  text: `<?php\n\ndeclare(strict_types=1);\n\nnamespace ${TEMPLATE_NAMESPACE};\n\n${body}`,
});

describe('the PHP templates (templates/)', () => {
  it('are every fixed file of the package, and none of them says it is generated', () => {
    const templates = readPhpTemplates();
    expect(templates.map((t) => t.path)).toEqual(
      expect.arrayContaining(['src/Check.php', 'src/Audience.php', 'src/Transport/Transport.php']),
    );
    const generated = new Set(generatePhpPackage().map((file) => file.path));
    for (const t of templates) {
      expect(generated.has(t.path), t.path).toBe(true);
      expect(t.text, t.path).not.toContain(GENERATED_MARKER);
    }
  });

  it('are copied with the notice and the namespace of the model in namespace and use lines', () => {
    const text = renderPhpTemplate(
      template(`use ${TEMPLATE_NAMESPACE}\\Transport\\Transport;\n\n// Postbode\\Kept in prose\n`),
      model,
    );
    expect(text).toBe(
      `<?php\n\n/**\n * ${GENERATED_MARKER}: do not edit.\n * Regenerate with \`pnpm generate\` in the Postbode repository.\n */\n\n` +
        'declare(strict_types=1);\n\nnamespace Acme\\Realtime;\n\n' +
        'use Acme\\Realtime\\Transport\\Transport;\n\n// Postbode\\Kept in prose\n',
    );
  });

  it('fill a rules slot with named arguments, wrapping a call that does not fit in 120 columns', () => {
    const text = renderPhpTemplate(
      template(
        "$a = Check::id('$a', $a, ...Schema::USER_ID);\n" +
          "            $claims['site'] = Check::string('$site', $site, ...Schema::SITE_NAME);\n" +
          '// the default site is Schema::DEFAULT_SITE\n',
      ),
      model,
    );
    expect(text).toContain("$a = Check::id('$a', $a, minLength: 1, maxLength: 128);\n");
    expect(text).toContain(
      [
        "            $claims['site'] = Check::string(",
        "                '$site',",
        '                $site,',
        '                minLength: 1,',
        '                maxLength: 64,',
        "                pattern: '/^[A-Za-z0-9_.-]+$/Du',",
        '            );',
      ].join('\n'),
    );
    expect(text).toContain('// the default site is "default"\n');
  });

  it('fill the stream and channel slots with PHP strings of the model', () => {
    const text = renderPhpTemplate(
      template(
        'const S = Schema::DEFAULT_STREAM;\n' +
          'f($s . Schema::STREAM_META_SUFFIX, Schema::DEFAULT_CHANNEL);\n',
      ),
      { ...model, defaultStream: "it's:$stream", defaultChannel: 'c' },
    );
    expect(text).toContain("const S = 'it\\'s:$stream';\nf($s . ':meta', 'c');\n");
  });

  it('reject an unknown slot, or a rules slot that is not the last argument, naming the template', () => {
    expect(() => renderPhpTemplate(template('// Schema::NOPE\n'), model)).toThrow(
      "templates/src/Example.php: unknown slot 'Schema::NOPE'",
    );
    expect(() => renderPhpTemplate(template('f(...Schema::NOPE);\n'), model)).toThrow(
      "templates/src/Example.php: '...Schema::NOPE' must be the last argument of a call",
    );
    expect(() => renderPhpTemplate(template('f(...Schema::USER_ID, 1);\n'), model)).toThrow(
      'must be the last argument of a call',
    );
    expect(() => renderPhpTemplate({ path: 'src/X.php', text: '<?php\nfoo();\n' }, model)).toThrow(
      "templates/src/X.php must start with '<?php' and an empty line",
    );
  });
});

describe('the exceptions of the generated package (issue 18)', () => {
  const files = generatePhpPackage().filter((file) => file.path.endsWith('.php'));
  const shortName = (name: string) => name.split('\\').pop() ?? name;
  // The classes that implement the package's one interface, read from their declarations.
  const postbodeExceptions = new Set(
    files.flatMap((file) =>
      [...file.contents.matchAll(/class (\w+) extends [\w\\]+ implements PostbodeException/g)].map(
        (match) => match[1] ?? '',
      ),
    ),
  );

  it("are all a Postbode\\PostbodeException, except PHP's own error for a call of the wrong shape", () => {
    expect([...postbodeExceptions].sort()).toEqual(
      expect.arrayContaining([
        'InvalidArgument',
        'InvalidPayload',
        'PublishFailed',
        'SigningFailed',
      ]),
    );
    const thrown: string[] = [];
    for (const file of files) {
      for (const match of file.contents.matchAll(/throw new ([\w\\]+)\(/g)) {
        const name = shortName(match[1] ?? '');
        thrown.push(name);
        // Publisher's \ArgumentCountError guards a call written for the old (transport,
        // channel) signature: an error of the call, like PHP's own, not an exception.
        if (name === 'ArgumentCountError' && file.path === 'src/Publisher.php') continue;
        expect(postbodeExceptions.has(name), `${file.path}: throw new ${match[1]}`).toBe(true);
      }
    }
    expect(thrown.length).toBeGreaterThan(30);
  });
});
