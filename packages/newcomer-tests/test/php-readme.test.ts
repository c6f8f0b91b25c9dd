import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GatewayProcess,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
  TEST_JWT_SECRET,
} from '@postbode/testkit';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NPM_CACHE, pack, sh, tempDir } from './support/outside.js';
import { example, readmeExamples, replaceOnce } from './support/readme-examples.js';

// Issue 18: the PHP README's examples, run as a PHP developer runs them: the package taken from
// the packed @postbode/php-publisher tarball, installed with Debian's composer through a path
// repository (Packagist off: nothing comes from the network), in a project outside the
// workspace, then the README's scripts run with the system's php against a real gateway and Redis.

const examples = readmeExamples('packages/php-publisher/php/README.md');
const PUBLISH_KEY = 'newcomer-publish-key-0123456789';
const COMPOSER_CACHE = join(NPM_CACHE, '..', 'composer');

describe('the PHP README in a fresh composer project', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let project: string;
  let redis: RedisServer;
  let gateway: GatewayProcess;
  const sockets: Socket[] = [];

  /** Writes the README's example `target` into the project, with `edit`, and runs it with php. */
  async function runExample(
    target: string,
    edit: (code: string) => string,
    env: Record<string, string> = {},
  ): Promise<string> {
    const file = join(project, target);
    await writeFile(file, edit(example(examples, target).code));
    const { stdout, stderr } = await sh('php', [file], { cwd: project, env });
    expect(stderr).toBe('');
    return stdout;
  }

  /** A socket.io client with `token`, recording its events from the first packet. */
  async function connect(
    token: string,
  ): Promise<{ socket: Socket; events: [string, unknown, unknown][] }> {
    const socket = io(gateway.url, {
      auth: { token },
      transports: ['websocket'],
      autoConnect: false,
    });
    sockets.push(socket);
    const events: [string, unknown, unknown][] = [];
    socket.onAny((event: string, data: unknown, meta: unknown) => events.push([event, data, meta]));
    await new Promise<void>((resolve, reject) => {
      socket.once('postbode:sync', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });
    return { socket, events };
  }

  const waitFor = async (events: [string, unknown, unknown][], action: string, count = 1) => {
    const deadline = Date.now() + 20_000;
    while (events.filter(([e]) => e === action).length < count) {
      if (Date.now() > deadline)
        throw new Error(`no ${action} within 20 s: ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return events.filter(([e]) => e === action);
  };

  beforeAll(async () => {
    temp = await tempDir('composer');
    project = join(temp.dir, 'app');
    await mkdir(project);
    const tarballs = await pack(['@postbode/php-publisher'], temp.dir);
    await sh('tar', ['-xzf', tarballs['@postbode/php-publisher'] ?? '', '-C', temp.dir], {
      cwd: temp.dir,
    });
    // The README's composer.json, pointing at the package from the tarball (`package/php`).
    const composer = JSON.parse(
      replaceOnce(
        example(examples, 'composer.json').code,
        '../postbode/packages/php-publisher/php',
        join(temp.dir, 'package', 'php'),
      ),
    ) as { repositories: unknown[] };
    composer.repositories.push({ 'packagist.org': false });
    await writeFile(join(project, 'composer.json'), JSON.stringify(composer, null, 2));
    await sh('composer', ['install', '--no-interaction', '--no-progress'], {
      cwd: project,
      env: {
        COMPOSER_HOME: join(temp.dir, 'composer-home'),
        COMPOSER_CACHE_DIR: COMPOSER_CACHE,
        COMPOSER_ALLOW_SUPERUSER: '1',
        COMPOSER_DISABLE_NETWORK: '1',
      },
    });

    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry: fileURLToPath(import.meta.resolve('@postbode/gateway/main')),
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_PUBLISH_KEY: PUBLISH_KEY },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await gateway?.stop();
    await redis?.stop();
    await temp?.remove();
  });

  it('the opening example: its token is accepted, its messages reach the browser (lost: 0 of 2)', async () => {
    const run = () =>
      runExample(
        'example.php',
        (code) =>
          `${replaceOnce(code, "'127.0.0.1', 6379", `'127.0.0.1', ${redis.port}`)}echo $token;\n`,
        { POSTBODE_JWT_SECRET: TEST_JWT_SECRET },
      );
    // The first run signs the page's token; the browser of user 42 connects with it.
    const token = (await run()).trim();
    const { events } = await connect(token);
    await run();
    const created = await waitFor(events, 'message.created');
    expect(created[0]?.[1]).toMatchObject({
      messageId: 'm-1',
      conversationId: 'c-9',
      senderId: '7',
      body: 'hoi',
    });
    expect(created[0]?.[2]).toMatchObject({ site: 'nl' });
    // message.read goes to user 7: a browser of 42 must not see it.
    const seven = await connect(await signTestToken({ sub: '7', site: 'nl' }));
    await run();
    const read = await waitFor(seven.events, 'message.read');
    const lost = 2 - Math.min(1, created.length) - Math.min(1, read.length);
    expect(`lost: ${lost} of 2`).toBe('lost: 0 of 2');
    expect(events.some(([e]) => e === 'message.read')).toBe(false);
  });

  it('HttpTransport: published to every browser of the site; a wrong key is 401 UNAUTHORIZED', async () => {
    const { events } = await connect(await signTestToken({ sub: '99', site: 'nl' }));
    const toPort = (code: string) =>
      replaceOnce(code, "'http://127.0.0.1:3000'", `'${gateway.url}'`);
    const out = await runExample('http.php', toPort, { POSTBODE_PUBLISH_KEY: PUBLISH_KEY });
    const id = /^published (\S+)\n$/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    const [announcement] = await waitFor(events, 'system.announcement');
    expect(announcement?.[1]).toEqual({ text: 'Maintenance at 22:00', level: 'info' });
    expect(announcement?.[2]).toMatchObject({ id, site: 'nl' });

    const refused = await runExample('http.php', toPort, { POSTBODE_PUBLISH_KEY: 'a-wrong-key' });
    expect(refused).toBe('not published: 401 UNAUTHORIZED\n');
  });

  it('the documented errors print what the README says they print', async () => {
    const code = example(examples, 'errors.php').code;
    const expected = [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]);
    expect(expected).toHaveLength(3);
    const out = await runExample('errors.php', (text) =>
      replaceOnce(text, "'http://127.0.0.1:3000'", `'${gateway.url}'`),
    );
    expect(out.trimEnd().split('\n')).toEqual(expected);
  });
});
