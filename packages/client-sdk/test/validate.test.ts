import { serverActions } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { recordingLogger, useStack, waitForStatus } from './stack.js';

const stack = useStack();

/**
 * Hands the client's real socket an event packet as the engine would after decoding one. The
 * gateway validates every envelope, so it never sends an invalid payload; this is the only way
 * to show what `validate: true` does with one (e.g. from an older or newer gateway).
 */
function receivePacket(socket: unknown, args: unknown[]): void {
  (socket as { onpacket(packet: object): void }).onpacket({ type: 2, nsp: '/', data: args });
}

describe('validate: true', () => {
  it('delivers valid payloads in order, and reports invalid ones instead of calling handlers', async () => {
    const logger = recordingLogger();
    const { user, client } = await stack.clientForNewUser({ validate: true, logger });
    const bodies: string[] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    await waitForStatus(client, 'connected');

    const example = serverActions['message.created'].example;
    await stack.publish({ action: 'message.created', data: example, to: { users: [user] } });
    await waitUntil(() => bodies.length === 1, { description: 'a valid message' });

    receivePacket(client.socket, [
      'message.created',
      { ...example, bdy: 'typo' },
      { id: 'bad-1', ts: 1, site: 'default' },
    ]);
    receivePacket(client.socket, ['message.renamed', {}, { id: 'bad-2', ts: 1, site: 'default' }]);
    await stack.publish({
      action: 'message.created',
      data: { ...example, body: 'last' },
      to: { users: [user] },
    });
    await waitUntil(() => bodies.length === 2, { description: 'the last message' });
    expect(bodies).toEqual(['hoi', 'last']);
    expect(
      logger.lines.filter((line) => line.level === 'warn').map((line) => line.message),
    ).toEqual([
      'postbode: invalid payload dropped: /data/bdy is not an allowed property (unknown properties are rejected)',
      "postbode: invalid payload dropped: 'message.renamed' is not an action of this protocol version",
    ]);
  });
});
