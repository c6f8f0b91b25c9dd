import { signTestToken, waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import type { RealtimeError } from '../src/realtime-error.js';
import { recordStatuses, tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';

// No clock tolerance, so that a token with a 2 s lifetime really expires after 2 s.
const stack = useStack({ POSTBODE_JWT_CLOCK_TOLERANCE: '0' });

describe('tokens', () => {
  it('refreshes a short-lived token through getToken; messages published after it arrive', async () => {
    const user = uniqueUser();
    let calls = 0;
    const client = stack.client({
      token: await tokenFor(user, 2),
      getToken: async () => {
        calls += 1;
        return tokenFor(user);
      },
    });
    const errors: (RealtimeError | undefined)[] = [];
    client.onStatus((_status, error) => errors.push(error));
    const seen = recordStatuses(client);
    const bodies: string[] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    await waitForStatus(client, 'connected');
    expect(calls).toBe(0);

    // The gateway sends postbode:error TOKEN_EXPIRED and closes the socket when the token ends.
    await waitUntil(() => calls === 1 && client.status === 'connected', {
      timeoutMs: 20_000,
      description: 'a refresh through getToken and a new connection',
    });
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(errors.map((error) => error?.code)).toContain('TOKEN_EXPIRED');
    expect(client.lastError?.code).toBe('TOKEN_EXPIRED');

    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-1', senderId: '2', body: 'after', sentAt: 1 },
      to: { users: [user] },
    });
    await waitUntil(() => bodies.length === 1, { description: 'a message after the refresh' });
    expect(bodies).toEqual(['after']);
  });

  it('calls getToken for the first connection when no token is given', async () => {
    const user = uniqueUser();
    let calls = 0;
    const client = stack.client({
      getToken: async () => {
        calls += 1;
        return tokenFor(user);
      },
    });
    await waitForStatus(client, 'connected');
    expect(calls).toBe(1);
  });

  it('refreshes a token the handshake refuses as expired', async () => {
    const user = uniqueUser();
    let calls = 0;
    const client = stack.client({
      token: await tokenFor(user, -60),
      getToken: async () => {
        calls += 1;
        return tokenFor(user);
      },
    });
    await waitForStatus(client, 'connected');
    expect(calls).toBe(1);
    expect(client.lastError?.code).toBe('TOKEN_EXPIRED');
  });

  it('goes unauthorized when the token is refused and there is no getToken', async () => {
    const token = await signTestToken(
      { sub: uniqueUser() },
      { key: 'another-secret-another-secret-another!' },
    );
    const client = stack.client({ token });
    const seen = recordStatuses(client);
    await waitForStatus(client, 'unauthorized');
    expect(seen).toEqual(['connecting', 'unauthorized']);
    expect(client.lastError?.code).toBe('UNAUTHORIZED');
    expect(client.socket.connected).toBe(false);
  });

  it('goes unauthorized when the token is refused even with getToken (it made that token)', async () => {
    let calls = 0;
    const client = stack.client({
      getToken: async () => {
        calls += 1;
        return 'not-a-jwt';
      },
    });
    await waitForStatus(client, 'unauthorized');
    expect(calls).toBe(1);
    expect(client.lastError?.code).toBe('UNAUTHORIZED');
  });

  it('goes unauthorized when getToken fails', async () => {
    const client = stack.client({
      getToken: () => Promise.reject(new Error('session ended')),
    });
    const errors: (RealtimeError | undefined)[] = [];
    client.onStatus((_status, error) => errors.push(error));
    await waitForStatus(client, 'unauthorized');
    expect(client.lastError?.code).toBe('UNAUTHORIZED');
    expect(client.lastError?.cause).toEqual(new Error('session ended'));
    expect(errors.at(-1)).toBe(client.lastError);
  });

  it('goes unauthorized when a connected token expires and there is no getToken', async () => {
    const { client } = await stack.clientForNewUser({ tokenSeconds: 2 });
    await waitForStatus(client, 'connected');
    await waitForStatus(client, 'unauthorized', 20_000);
    expect(client.lastError?.code).toBe('TOKEN_EXPIRED');
  });

  it('gives up when getToken keeps returning expired tokens', async () => {
    const user = uniqueUser();
    let calls = 0;
    const client = stack.client({
      getToken: async () => {
        calls += 1;
        return tokenFor(user, -60);
      },
      // Short retry delays keep the test quick; the count is what is checked.
      socketOptions: { reconnectionDelay: 10, reconnectionDelayMax: 50 },
    });
    await waitForStatus(client, 'unauthorized', 20_000);
    expect(client.lastError?.code).toBe('TOKEN_EXPIRED');
    expect(calls).toBe(4);
  });

  it('connects again after unauthorized when connect() is called', async () => {
    const user = uniqueUser();
    let fail = true;
    const client = stack.client({
      getToken: async () => (fail ? Promise.reject(new Error('offline')) : tokenFor(user)),
    });
    await waitForStatus(client, 'unauthorized');
    fail = false;
    client.connect();
    await waitForStatus(client, 'connected');
  });
});
