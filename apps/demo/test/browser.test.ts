import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH_OPTIONS, waitUntil } from '@postbode/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoBackendKind, type DemoStack, startDemoStack } from '../server/demo-stack.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));
const WAIT = { timeout: 20_000 };

/** Debian's Chromium, headless; never a downloaded browser. */
function launch(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}

describe.each<DemoBackendKind>(['node', 'php'])(
  'the demo with the %s backend, in Chromium',
  (backend) => {
    let stack: DemoStack;
    let browser: Browser;
    const pageErrors: string[] = [];
    // Receipts sent as legacy HTTP requests (the page's fallback when the gateway answers
    // UNAVAILABLE): none may be, they all go over the socket to the backend's worker.
    const httpReceipts: string[] = [];

    beforeAll(async () => {
      // A short grace, so that the presence test sees a closed window go within seconds.
      stack = await startDemoStack({ backend, gatewayEnv: { POSTBODE_PRESENCE_GRACE: '1' } });
      browser = await launch();
      await mkdir(SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    /** A fresh browser context (its own session) logged in as `userId`, connected. */
    async function logIn(userId: string, query = ''): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 900, height: 560 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${userId}: ${error.message}`));
      page.on('request', (request) => {
        if (/\/api\/conversations\/[^/]+\/(delivered|read)$/.test(new URL(request.url()).pathname))
          httpReceipts.push(`${userId}: ${request.method()} ${request.url()}`);
      });
      await page.goto(`${stack.url}/${query}`);
      await page.getByTestId(`login-${userId}`).click();
      await page.waitForSelector('[data-testid=connection][data-status=connected]', WAIT);
      return page;
    }

    const message = (page: Page, body: string) =>
      page.locator('[data-testid=message]', { hasText: body });

    async function send(page: Page, body: string): Promise<void> {
      await page.getByTestId('composer').fill(body);
      await page.getByTestId('send').click();
    }

    it('A sends, B sees it without reloading; unread counts; grey then blue checks', async () => {
      const anna = await logIn('1');
      const bram = await logIn('2');
      await anna.getByTestId('conversation-2').click();
      await send(anna, 'Hoi Bram, alles goed?');

      // Bram's list shows the unread message, pushed by the gateway.
      await bram.waitForSelector('[data-testid=unread-1][data-count="1"]', WAIT);
      expect(await bram.getByTestId('conversation-1').textContent()).toContain(
        'Hoi Bram, alles goed?',
      );
      // Bram's page received it, so it is delivered: two grey checks for Anna.
      await message(anna, 'Hoi Bram').and(anna.locator('[data-status=delivered]')).waitFor(WAIT);
      expect(await message(anna, 'Hoi Bram').getByTestId('receipt').textContent()).toBe('✓✓');

      // Bram opens the conversation: read. Anna sees two blue checks; Bram's badge goes to 0.
      await bram.getByTestId('conversation-1').click();
      await message(bram, 'Hoi Bram').waitFor(WAIT);
      await message(anna, 'Hoi Bram').and(anna.locator('[data-status=read]')).waitFor(WAIT);
      await bram.waitForSelector('[data-testid=unread-1][data-count="0"]', {
        ...WAIT,
        state: 'attached',
      });

      // Bram answers while Anna has the conversation open: it appears and is read at once.
      await send(bram, 'Prima! En met jou?');
      await message(anna, 'Prima! En met jou?').waitFor(WAIT);
      await message(bram, 'Prima! En met jou?')
        .and(bram.locator('[data-status=read]'))
        .waitFor(WAIT);
      expect(await anna.getByTestId('unread-2').getAttribute('data-count')).toBe('0');
      // The receipts went over the sockets to the backend event stream, and the checks above
      // came back from the backend's worker (the Node one, or PHP's generated EventConsumer),
      // every entry acknowledged; none went as an HTTP request.
      expect(httpReceipts).toEqual([]);
      const redis = stack.redis.client();
      try {
        const entries = await redis.xrange('postbode:events', '-', '+');
        const actions = entries.map(([, fields]) => fields[fields.indexOf('action') + 1]);
        expect(actions.filter((action) => action === 'message.delivered').length).toBeGreaterThan(
          1,
        );
        expect(actions.filter((action) => action === 'message.read').length).toBeGreaterThan(1);
        // Read by the group (lag 0) and acknowledged (nothing pending): the worker handled them.
        await waitUntil(
          async () => {
            const groups = (await redis.xinfo('GROUPS', 'postbode:events')) as unknown[][];
            const group = groups.find(
              (fields) => fields[fields.indexOf('name') + 1] === 'postbode-workers',
            );
            return (
              group !== undefined &&
              group[group.indexOf('pending') + 1] === 0 &&
              group[group.indexOf('lag') + 1] === 0
            );
          },
          { timeoutMs: 20_000, description: 'the worker to read and acknowledge every receipt' },
        );
      } finally {
        redis.disconnect();
      }

      await anna.screenshot({ path: `${SCREENSHOTS}${backend}-anna.png` });
      await bram.screenshot({ path: `${SCREENSHOTS}${backend}-bram.png` });
      await anna.context().close();
      await bram.context().close();
    });

    it('"Bram is typing…": typing goes over the socket to the peer, and stops with the message', async () => {
      const anna = await logIn('1');
      const bram = await logIn('2');
      await anna.getByTestId('conversation-2').click();
      await bram.getByTestId('conversation-1').click();
      await bram.getByTestId('composer').pressSequentially('Even kijk');
      await anna.waitForSelector('[data-testid=typing]:has-text("Bram is typing…")', WAIT);
      await bram.getByTestId('send').click();
      await message(anna, 'Even kijk').waitFor(WAIT);
      await anna.waitForSelector('[data-testid=typing]:text-is("")', {
        ...WAIT,
        state: 'attached',
      });
      for (const page of [anna, bram]) await page.context().close();
    });

    it('a client forced to long-polling gets the same', async () => {
      const carla = await logIn('3', '?transport=polling');
      await carla.waitForSelector('[data-testid=transport]:text("polling")', WAIT);
      const anna = await logIn('1');
      await anna.getByTestId('conversation-3').click();
      await send(anna, 'Carla, over long-polling?');
      await carla.waitForSelector('[data-testid=unread-1][data-count="1"]', WAIT);
      await carla.getByTestId('conversation-1').click();
      await message(carla, 'Carla, over long-polling?').waitFor(WAIT);
      await message(anna, 'Carla, over long-polling?')
        .and(anna.locator('[data-status=read]'))
        .waitFor(WAIT);
      expect(await carla.getByTestId('transport').textContent()).toBe('polling');
      await carla.context().close();
      await anna.context().close();
    });

    it('the indicator shows reconnecting when the gateway stops, connected when it is back', async () => {
      const daan = await logIn('4');
      const eva = await logIn('5');
      await daan.getByTestId('conversation-5').click();
      await stack.gateway.stop();
      await daan.waitForSelector('[data-testid=connection][data-status=reconnecting]', WAIT);
      expect(await daan.getByTestId('connection').textContent()).toContain('reconnecting');
      await daan.screenshot({ path: `${SCREENSHOTS}${backend}-reconnecting.png` });
      await stack.gateway.start();
      await daan.waitForSelector('[data-testid=connection][data-status=connected]', WAIT);
      await eva.waitForSelector('[data-testid=connection][data-status=connected]', WAIT);
      // And messages flow again.
      await eva.getByTestId('conversation-4').click();
      await send(eva, 'Back online');
      await message(daan, 'Back online').waitFor(WAIT);
      await daan.context().close();
      await eva.context().close();
    });

    it('a user who goes offline sees what was sent meanwhile when back, without a reload', async () => {
      const finn = await logIn('6');
      const eva = await logIn('5');
      await finn.getByTestId('conversation-5').click();
      await eva.getByTestId('conversation-6').click();
      await finn.context().setOffline(true);
      // The page really lost its connection (not a socket the browser kept open).
      await finn.waitForSelector('[data-testid=connection]:not([data-status=connected])', WAIT);
      for (const body of ['Ben je er?', 'Hallo?', 'Bel me even']) await send(eva, body);
      await message(eva, 'Bel me even').waitFor(WAIT);
      await finn.context().setOffline(false);
      await finn.waitForSelector('[data-testid=connection][data-status=connected]', WAIT);
      for (const body of ['Ben je er?', 'Hallo?', 'Bel me even']) {
        await message(finn, body).waitFor(WAIT);
      }
      const shown = await finn.locator('[data-testid=message]').allTextContents();
      const lost = ['Ben je er?', 'Hallo?', 'Bel me even'].filter(
        (body) => shown.filter((text) => text.includes(body)).length !== 1,
      );
      expect(`lost or doubled: ${lost.length} of 3`).toBe('lost or doubled: 0 of 3');
      // Replayed from the cursor, not refetched after a resync.
      expect(await finn.getByTestId('connection').getAttribute('data-last-resync')).toBe('');
      await finn.context().close();
      await eva.context().close();
    });

    it('presence: a second window logs in, the first sees the dot; it closes, the dot goes after the grace, "last seen" shows', async () => {
      const anna = await logIn('1');
      const dot = '[data-testid=presence-3]';
      // Carla (whose window of an earlier test closed) is offline.
      await anna.waitForSelector(`${dot}[data-online=false]`, { ...WAIT, state: 'attached' });
      const carla = await logIn('3');
      await anna.waitForSelector(`${dot}[data-online=true]`, { ...WAIT, state: 'attached' });
      // Carla sees Anna too.
      await carla.waitForSelector('[data-testid=presence-1][data-online=true]', {
        ...WAIT,
        state: 'attached',
      });
      await anna.screenshot({ path: `${SCREENSHOTS}${backend}-presence.png` });
      await carla.context().close();
      await anna.waitForSelector(`${dot}[data-online=false]`, { ...WAIT, state: 'attached' });
      expect(await anna.getByTestId('last-seen-3').textContent()).toMatch(/^last seen /);
      if (backend === 'php') {
        // After a reload the list comes from the backend: PHP read it with Presence::lastSeen().
        await anna.reload();
        await anna.waitForSelector('[data-testid=connection][data-status=connected]', WAIT);
        await anna.waitForSelector(`${dot}[data-online=false]`, { ...WAIT, state: 'attached' });
        expect(await anna.getByTestId('last-seen-3').textContent()).toMatch(/^last seen /);
      }
      await anna.context().close();
    });

    it('threw no error in any page, and sent no receipt over HTTP', () => {
      expect(pageErrors).toEqual([]);
      expect(httpReceipts).toEqual([]);
    });
  },
);
