import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHROMIUM_LAUNCH_OPTIONS,
  type GatewayProcess,
  getFreePort,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
} from '@postbode/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmInstall, pack, sh, tempDir } from './support/outside.js';
import { example, readmeExamples, replaceOnce } from './support/readme-examples.js';
import { serveApp, writeViteApp } from './support/vite-app.js';

// Issue 18: the SDK README's examples are the files of a fresh Vite + Vue 3 + TypeScript app
// with the official template's compiler settings, installed from the packed tarballs and the
// npm registry with plain npm outside the workspace, type-checked with `vue-tsc -b`, built with
// `vite build`, and run in Chromium against a real gateway process on a real redis-server.

const README = 'packages/client-sdk/README.md';
const APP_FILES = [
  'src/realtime.ts',
  'src/store.ts',
  'src/chat-store.ts',
  'src/main.ts',
  'src/components/Announcements.vue',
];
const PUBLISH_KEY = 'newcomer-publish-key-0123456789';
const WAIT = { timeout: 30_000 };

describe('the SDK README as a fresh Vite + Vue 3 + TypeScript app', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let redis: RedisServer;
  let gateway: GatewayProcess;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let pagePort: number;
  let appDir: string;

  beforeAll(async () => {
    temp = await tempDir('vite-app');
    appDir = join(temp.dir, 'app');
    const tarballs = await pack(['@postbode/protocol', '@postbode/client-sdk'], temp.dir);
    pagePort = await getFreePort();
    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry: fileURLToPath(import.meta.resolve('@postbode/gateway/main')),
      env: {
        POSTBODE_REDIS_URL: redis.url,
        POSTBODE_PUBLISH_KEY: PUBLISH_KEY,
        POSTBODE_CORS_ORIGINS: `http://127.0.0.1:${pagePort}`,
      },
    });
    const examples = readmeExamples(README);
    await writeViteApp(appDir, {
      examples: APP_FILES.map((target) => example(examples, target)),
      tsconfigApp: example(examples, 'tsconfig.app.json'),
      tarballs,
      env: { VITE_POSTBODE_URL: gateway.url },
    });
    await npmInstall(appDir);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await gateway?.stop();
    await redis?.stop();
    await temp?.remove();
  });

  it('type-checks with vue-tsc -b under the template settings, and builds with vite', async () => {
    // The settings in effect are the template's (through @vue/tsconfig), not ours.
    const shown = await sh('npx', ['tsc', '--showConfig', '-p', 'tsconfig.app.json'], {
      cwd: appDir,
    });
    expect(JSON.parse(shown.stdout).compilerOptions).toMatchObject({
      moduleResolution: 'bundler',
      strict: true,
      verbatimModuleSyntax: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
    });
    await sh('npx', ['vue-tsc', '-b'], { cwd: appDir });
    const { stdout } = await sh('npx', ['vite', 'build'], { cwd: appDir });
    expect(stdout).toContain('built in');
  });

  it('would have caught what newcomers hit: an unused `meta` (TS6133), vuex without `paths` (TS7016)', async () => {
    const store = join(appDir, 'src/chat-store.ts');
    const tsconfig = join(appDir, 'tsconfig.app.json');
    const [storeText, tsconfigText] = await Promise.all([
      readFile(store, 'utf8'),
      readFile(tsconfig, 'utf8'),
    ]);
    try {
      // The recipe as it was: addMessage(message, meta: Meta) with meta unused; no vuex paths.
      await writeFile(
        store,
        replaceOnce(
          storeText,
          "addMessage(message: PayloadOf<'message.created'>) {",
          "addMessage(message: PayloadOf<'message.created'>, meta: { id: string }) {",
        ),
      );
      const config = JSON.parse(tsconfigText) as { compilerOptions: { paths?: unknown } };
      delete config.compilerOptions.paths;
      await writeFile(tsconfig, JSON.stringify(config));
      const failed = await sh('npx', ['vue-tsc', '-b'], { cwd: appDir }).then(
        () => '',
        (error: Error) => error.message,
      );
      expect(failed).toMatch(
        /src\/chat-store\.ts.*error TS6133: 'meta' is declared but its value is never read/,
      );
      expect(failed).toMatch(
        /src\/store\.ts.*error TS7016: Could not find a declaration file for module 'vuex'/,
      );
    } finally {
      await writeFile(store, storeText);
      await writeFile(tsconfig, tsconfigText);
    }
  });

  it('delivers POST /publish to the page through Vuex, Pinia and useRealtime(): lost 0', async () => {
    server = await serveApp(join(appDir, 'dist'), pagePort, () => signTestToken({ sub: '42' }));
    browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${pagePort}/`);
    await page.waitForSelector('[data-testid=vuex-status][data-status=connected]', WAIT);

    const publish = async (envelope: unknown) => {
      const res = await fetch(`${gateway.url}/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PUBLISH_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
      });
      expect(res.status).toBe(202);
    };
    const bodies = ['hoi', 'alles goed?', 'tot straks'];
    for (const [i, body] of bodies.entries()) {
      await publish({
        action: 'message.created',
        to: { users: ['42'] },
        data: { messageId: `m-${i}`, conversationId: 'c-9', senderId: '7', body, sentAt: 1 },
      });
    }
    await publish({
      action: 'system.announcement',
      to: { all: true },
      data: { text: 'Maintenance at 22:00', level: 'info' },
    });

    const items = (list: string) => page.locator(`[data-testid=${list}] li`).allTextContents();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=pinia] li').length >= n,
      bodies.length,
      WAIT,
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=vuex] li').length >= n,
      bodies.length,
      WAIT,
    );
    await page.waitForSelector('[data-testid=composable] li', WAIT);
    const vuex = await items('vuex');
    const pinia = await items('pinia');
    expect(vuex).toEqual(bodies);
    expect(pinia).toEqual(bodies);
    expect(await items('composable')).toEqual(['Maintenance at 22:00']);
    const lost = bodies.filter((b) => !vuex.includes(b) || !pinia.includes(b)).length;
    expect(`lost: ${lost} of ${bodies.length}`).toBe(`lost: 0 of ${bodies.length}`);
    expect(pageErrors).toEqual([]);
  });
});
