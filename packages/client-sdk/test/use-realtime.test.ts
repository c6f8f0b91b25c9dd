import type { PayloadOf } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { useStack, waitForStatus } from './stack.js';

// Components are mounted into a happy-dom document. Only `window`, `document` and the element classes Vue's DOM
// renderer checks are made global: fetch, WebSocket and XHR stay Node's, so the socket is a
// real socket.io client talking to the real gateway, exactly as in the other tests.
const window = new Window();
Object.assign(globalThis, {
  window,
  document: window.document,
  Element: window.Element,
  SVGElement: window.SVGElement,
});
const vue = await import('vue');
const { realtimeVuePlugin, useRealtime } = await import('../src/vue.js');

const stack = useStack();

afterAll(async () => {
  await window.happyDOM.close();
});

/** What every mounted ChatWindow's handler received, in order. */
const handledByComponents: string[] = [];

/** A chat window as an app would write it. */
const ChatWindow = vue.defineComponent({
  setup() {
    const { status, on } = useRealtime();
    const messages = vue.ref<PayloadOf<'message.created'>[]>([]);
    on('message.created', (data) => {
      handledByComponents.push(data.body);
      messages.value.push(data);
    });
    return () =>
      vue.h('div', [
        vue.h('p', { class: 'status' }, status.value),
        ...messages.value.map((message) => vue.h('p', { class: 'message' }, message.body)),
      ]);
  },
});

/** The texts of the elements matching `selector`. */
function texts(
  root: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> },
  selector: string,
): string[] {
  return Array.from(root.querySelectorAll(selector), (element) => element.textContent ?? '');
}

describe('useRealtime', () => {
  it('shows the status, receives messages, and unsubscribes when the component unmounts', async () => {
    const { user, client } = await stack.clientForNewUser();
    const root = window.document.createElement('div');
    const app = vue.createApp(ChatWindow).use(realtimeVuePlugin(client));
    app.mount(root as unknown as Element);
    await waitForStatus(client, 'connected');
    await vue.nextTick();
    expect(texts(root, '.status')).toEqual(['connected']);

    // A second, independent listener tells when a message has reached the client.
    const seenByTest: string[] = [];
    client.on('message.created', (data) => seenByTest.push(data.body));
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi', sentAt: 1 },
      to: { users: [user] },
    });
    await waitUntil(() => seenByTest.length === 1, { description: 'first message' });
    await vue.nextTick();
    expect(texts(root, '.message')).toEqual(['hoi']);

    app.unmount();
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-2', conversationId: 'c-9', senderId: '7', body: 'na', sentAt: 2 },
      to: { users: [user] },
    });
    await waitUntil(() => seenByTest.length === 2, { description: 'second message' });
    // The client got 'na', the unmounted component's handler did not.
    expect(seenByTest).toEqual(['hoi', 'na']);
    expect(handledByComponents).toEqual(['hoi']);
  });

  it('ends its subscriptions with the effect scope it was called in', async () => {
    const { user, client } = await stack.clientForNewUser();
    const scope = vue.effectScope();
    const bodies: string[] = [];
    const status = scope.run(() => {
      const realtime = useRealtime(client);
      realtime.on('message.created', (data) => bodies.push(data.body));
      return realtime.status;
    });
    await waitForStatus(client, 'connected');
    expect(status?.value).toBe('connected');
    scope.stop();
    const seenByTest: string[] = [];
    client.on('message.created', (data) => seenByTest.push(data.body));
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-3', conversationId: 'c-9', senderId: '7', body: 'weg', sentAt: 3 },
      to: { users: [user] },
    });
    await waitUntil(() => seenByTest.length === 1, { description: 'the message' });
    expect(bodies).toEqual([]);
    client.disconnect();
    // The status ref stopped following the client with the scope.
    expect(status?.value).toBe('connected');
  });
});
