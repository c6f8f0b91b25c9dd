import { waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { recordStatuses, tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';

// This file owns its gateway: restarting it would disturb other files' clients.
const stack = useStack();

describe('across a gateway restart', () => {
  it('goes reconnecting, then connected again, and receives what is published after', async () => {
    const user = uniqueUser();
    let calls = 0;
    const client = stack.client({
      token: await tokenFor(user),
      getToken: async () => {
        calls += 1;
        return tokenFor(user);
      },
      socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 500 },
    });
    const seen = recordStatuses(client);
    const reasons: string[] = [];
    client.socket.on('disconnect', (reason) => reasons.push(reason));
    const bodies: string[] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    await waitForStatus(client, 'connected');

    await stack.gateway.stop();
    await waitForStatus(client, 'reconnecting');
    await stack.gateway.start();
    await waitForStatus(client, 'connected', 20_000);
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    // A shutting-down gateway closes the transport, which socket.io reconnects by itself.
    expect(reasons).toEqual(['transport close']);
    // A reconnection fetches a fresh token.
    expect(calls).toBeGreaterThanOrEqual(1);

    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-1', senderId: '2', body: 'back', sentAt: 1 },
      to: { users: [user] },
    });
    await waitUntil(() => bodies.length === 1, { description: 'a message after the restart' });
    expect(bodies).toEqual(['back']);
  });

  it('also comes back after the gateway was killed', async () => {
    const { client } = await stack.clientForNewUser({
      socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 500 },
    });
    await waitForStatus(client, 'connected');
    await stack.gateway.kill();
    await waitForStatus(client, 'reconnecting');
    await stack.gateway.start();
    await waitForStatus(client, 'connected', 20_000);
    expect(client.socket.connected).toBe(true);
  });

  it('goes disconnected when a finite reconnectionAttempts runs out; connect() comes back', async () => {
    const { client } = await stack.clientForNewUser({
      socketOptions: { reconnectionAttempts: 2, reconnectionDelay: 50, reconnectionDelayMax: 100 },
    });
    const seen = recordStatuses(client);
    await waitForStatus(client, 'connected');
    await stack.gateway.stop();
    try {
      await waitForStatus(client, 'disconnected');
    } finally {
      await stack.gateway.start();
    }
    client.connect();
    await waitForStatus(client, 'connected');
    expect(seen).toEqual([
      'connecting',
      'connected',
      'reconnecting',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });
});
