import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoBackendKind, type DemoStack, startDemoStack } from '../server/demo-stack.js';

// The Node and the PHP stand-ins must answer the same API the same way: the page and the
// browser tests run unchanged against both.
describe.each<DemoBackendKind>(['node', 'php'])('the %s backend API', (backend) => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startDemoStack({ backend });
  });
  afterAll(() => stack?.stop());

  const call = async (method: string, path: string, session?: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: session === undefined ? {} : { authorization: `Bearer ${session}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  const login = async (userId: string): Promise<string> =>
    (await call('POST', '/api/login', undefined, { userId })).body.session;

  it('config, login and conversations', async () => {
    const config = await call('GET', '/api/config');
    expect(config.body.gatewayUrl).toBe(stack.gateway.url);
    expect(config.body.users).toHaveLength(6);
    const login4 = await call('POST', '/api/login', undefined, { userId: '4' });
    expect(login4.body.user).toEqual({ id: '4', name: 'Daan', site: 'be' });
    const conversations = await call('GET', '/api/conversations', login4.body.session);
    expect(conversations.body.map((c: { id: string }) => c.id)).toEqual(['c-4-5', 'c-4-6']);
    expect(conversations.body[0]).toEqual({
      id: 'c-4-5',
      // PHP lists when the peer was last seen (Presence::lastSeen(); null: never); the Node
      // backend runs on the embedded bus and has no presence keys to read.
      peer:
        backend === 'php' ? { id: '5', name: 'Eva', lastSeenAt: null } : { id: '5', name: 'Eva' },
      unread: 0,
      lastMessage: null,
    });
  });

  it('a token for the gateway', async () => {
    const token = (await call('GET', '/api/token', await login('1'))).body.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ sub: '1', site: 'nl', roles: ['member'] });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('send, history, delivered and read, with unread counters', async () => {
    const [anna, bram] = [await login('1'), await login('2')];
    const sent = await call('POST', '/api/conversations/c-1-2/messages', anna, { body: 'hallo' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      conversationId: 'c-1-2',
      senderId: '1',
      body: 'hallo',
      status: 'sent',
    });
    const bramList = (await call('GET', '/api/conversations', bram)).body;
    expect(bramList.find((c: { id: string }) => c.id === 'c-1-2')).toMatchObject({
      unread: 1,
      lastMessage: { body: 'hallo' },
    });
    expect(
      (
        await call('POST', '/api/conversations/c-1-2/delivered', bram, {
          messageIds: [sent.body.messageId],
        })
      ).status,
    ).toBe(204);
    expect((await call('GET', '/api/conversations/c-1-2/messages', anna)).body.at(-1).status).toBe(
      'delivered',
    );
    expect(
      (
        await call('POST', '/api/conversations/c-1-2/read', bram, {
          lastReadMessageId: sent.body.messageId,
        })
      ).status,
    ).toBe(204);
    expect((await call('GET', '/api/conversations/c-1-2/messages', anna)).body.at(-1).status).toBe(
      'read',
    );
    // A late delivered receipt never lowers read.
    await call('POST', '/api/conversations/c-1-2/delivered', bram, {
      messageIds: [sent.body.messageId],
    });
    expect((await call('GET', '/api/conversations/c-1-2/messages', anna)).body.at(-1).status).toBe(
      'read',
    );
    expect(
      (await call('GET', '/api/conversations', bram)).body.find(
        (c: { id: string }) => c.id === 'c-1-2',
      ).unread,
    ).toBe(0);
  });

  it.each([
    ['no session', 'GET', '/api/conversations', false, undefined, 401],
    ['an unknown user', 'POST', '/api/login', false, { userId: '99' }, 404],
    [
      'a conversation of another site',
      'GET',
      '/api/conversations/c-4-5/messages',
      true,
      undefined,
      404,
    ],
    ['an empty message', 'POST', '/api/conversations/c-1-2/messages', true, { body: '  ' }, 400],
    [
      'a message over 10000 characters',
      'POST',
      '/api/conversations/c-1-2/messages',
      true,
      { body: 'x'.repeat(10_001) },
      400,
    ],
    [
      'reading an unknown message',
      'POST',
      '/api/conversations/c-1-2/read',
      true,
      { lastReadMessageId: 'nope' },
      404,
    ],
    ['an unknown route', 'GET', '/api/nope', true, undefined, 404],
  ])('answers %s the same way', async (_label, method, path, withSession, body, status) => {
    const session = withSession ? await login('1') : undefined;
    const response = await call(method, path, session, body);
    expect(response.status).toBe(status);
    expect(typeof response.body.error).toBe('string');
  });

  it('serves the page', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app">');
  });
});
