import { getFreePort, signTestToken, waitUntil } from '@postbode/testkit';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createStore } from 'vuex';
import { createRealtimeClient } from '../src/create-realtime-client.js';
import { createVuexPlugin, type RealtimeModuleState } from '../src/create-vuex-plugin.js';
import { defineRealtimeStore } from '../src/define-realtime-store.js';

// Issue 18: a gateway that cannot be reached does not leave the client `connecting` forever;
// the adapters show the reason too. (In Chromium, with a refused origin as well:
// browser-status.test.ts.)
describe('a gateway that cannot be reached', () => {
  it('moves to reconnecting with lastError UNAVAILABLE naming the URL, in the client, Vuex and Pinia', async () => {
    const url = `http://127.0.0.1:${await getFreePort()}`;
    const debug: [string, unknown][] = [];
    const client = createRealtimeClient({
      url,
      token: await signTestToken({ sub: '42' }),
      logger: { debug: (m, d) => debug.push([m, d]), warn: () => {}, error: () => {} },
      socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 200 },
    });
    onTestFinished(() => client.disconnect());
    const store = createStore<{ realtime: RealtimeModuleState }>({
      plugins: [createVuexPlugin(client)],
    });
    setActivePinia(createPinia());
    const realtime = defineRealtimeStore(client)();
    onTestFinished(() => realtime.$dispose());

    expect(debug[0]).toEqual(['postbode: connecting', { url, code: undefined }]);
    await waitUntil(() => client.status === 'reconnecting', {
      timeoutMs: 20_000,
      description: 'the client to leave connecting',
    });
    expect(client.lastError?.code).toBe('UNAVAILABLE');
    expect(client.lastError?.message).toContain(`cannot reach the gateway at ${url}`);
    expect(store.state.realtime.status).toBe('reconnecting');
    expect(store.state.realtime.lastError).toMatchObject({ code: 'UNAVAILABLE' });
    expect(realtime.status).toBe('reconnecting');
    expect(realtime.lastError).toMatchObject({ code: 'UNAVAILABLE' });
    // It keeps trying: socket.io's manager is still reconnecting.
    expect(client.socket.active).toBe(true);
  });
});
