import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CHROMIUM_LAUNCH_OPTIONS,
  type GatewayProcess,
  getFreePort,
  signTestToken,
  startGatewayProcess,
} from '@postbode/testkit';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 18: a page whose origin the gateway refuses, or a gateway that cannot be reached, must
// not leave the client `connecting` forever with nothing to show. In a real browser both end in
// the same socket.io errors ("websocket error", "xhr poll error"), so the status moves on to
// `reconnecting` with a lastError (UNAVAILABLE) that names the URL and both likely causes, and
// socket.io keeps retrying. (Seen in Chromium: both cases end in "xhr poll error" after the
// WebSocket attempt failed; the page cannot tell a refused origin from a closed port.)

const gatewayEntry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));
const WAIT = { timeout: 20_000 };

/** The SDK from src/, with socket.io-client, as one script a page loads. */
async function bundlePageScript(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { createRealtimeClient } from './src/index.ts';
        window.startRealtime = (url, token) => {
          const logs = (window.realtimeLogs = []);
          const record = (level) => (message, details) => logs.push({ level, message, details });
          const client = createRealtimeClient({
            url,
            token,
            logger: { debug: record('debug'), warn: record('warn'), error: record('error') },
            socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 },
          });
          const show = () => {
            const el = document.getElementById('status');
            el.dataset.status = client.status;
            el.dataset.code = client.lastError?.code ?? '';
            el.textContent = client.lastError?.message ?? '';
          };
          client.onStatus(show);
          show();
          window.realtime = client;
        };`,
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Serves the page on every address of 127.0.0.1 (reached as 127.0.0.1 and as localhost). */
async function servePage(script: string): Promise<{ server: Server; port: number }> {
  const html =
    '<!doctype html><meta charset="utf-8"><p id="status" data-status=""></p><script src="/app.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the status a page sees when it cannot connect, in Chromium', () => {
  let browser: Browser;
  let page: { server: Server; port: number };
  let gateway: GatewayProcess;

  beforeAll(async () => {
    page = await servePage(await bundlePageScript());
    // The gateway allows the page as http://127.0.0.1:<port> only, not as http://localhost:<port>.
    gateway = await startGatewayProcess({
      entry: gatewayEntry,
      env: { POSTBODE_CORS_ORIGINS: `http://127.0.0.1:${page.port}`, POSTBODE_LOG_LEVEL: 'info' },
    });
    browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await new Promise((resolve) => page?.server.close(resolve));
  });

  async function open(pageUrl: string, gatewayUrl: string): Promise<Page> {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(pageUrl);
    const token = await signTestToken({ sub: '42' });
    await tab.evaluate(([url, t]) => window.startRealtime(url, t), [gatewayUrl, token] as const);
    return tab;
  }

  const statusOf = (tab: Page) =>
    tab.evaluate(() => {
      const el = document.getElementById('status');
      return { status: el?.dataset.status, code: el?.dataset.code, message: el?.textContent };
    });

  it('an allowed origin connects (the control: the gateway and the page work)', async () => {
    const tab = await open(`http://127.0.0.1:${page.port}/`, gateway.url);
    await tab.waitForSelector('#status[data-status=connected]', { ...WAIT, state: 'attached' });
    // The connecting line names the URL (it said `postbode: connecting undefined`).
    const logs = await tab.evaluate(() => window.realtimeLogs);
    expect(logs).toContainEqual({
      level: 'debug',
      message: 'postbode: connecting',
      details: { url: gateway.url },
    });
    await tab.context().close();
  });

  it('a refused origin (localhost while only 127.0.0.1 is allowed): reconnecting, with the reason', async () => {
    const tab = await open(`http://localhost:${page.port}/`, gateway.url);
    await tab.waitForSelector('#status[data-status=reconnecting]', { ...WAIT, state: 'attached' });
    const seen = await statusOf(tab);
    expect(seen.code).toBe('UNAVAILABLE');
    expect(seen.message).toContain(`cannot reach the gateway at ${gateway.url}`);
    expect(seen.message).toContain(`does not allow http://localhost:${page.port} origin`);
    expect(seen.message).toContain('POSTBODE_CORS_ORIGINS');
    // It keeps trying: more failed attempts are reported while the page stays open.
    await tab.waitForFunction(
      () => window.realtimeLogs.filter((l) => l.level === 'warn').length >= 2,
      undefined,
      WAIT,
    );
    expect(gateway.output).toContain('origin not in POSTBODE_CORS_ORIGINS');
    await tab.context().close();
  });

  it('an unreachable gateway (nothing listens on the port): reconnecting, with the reason', async () => {
    const closed = `http://127.0.0.1:${await getFreePort()}`;
    const tab = await open(`http://127.0.0.1:${page.port}/`, closed);
    await tab.waitForSelector('#status[data-status=reconnecting]', { ...WAIT, state: 'attached' });
    const seen = await statusOf(tab);
    expect(seen.code).toBe('UNAVAILABLE');
    expect(seen.message).toContain(`cannot reach the gateway at ${closed}`);
    expect(seen.message).toContain('it is down or unreachable');
    const attempts = await tab.evaluate(() => window.realtime.status);
    expect(attempts).toBe('reconnecting');
    await tab.context().close();
  });
});

declare global {
  interface Window {
    startRealtime(url: string, token: string): void;
    realtimeLogs: { level: string; message: string; details?: Record<string, unknown> }[];
    realtime: { status: string };
  }
}
