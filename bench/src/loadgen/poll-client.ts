import { Agent, get } from 'node:http';
import { now, sleep } from '../clock.js';
import type { LatencyRecorder } from './latency-recorder.js';

/** Options of {@link runPolling}. */
export interface PollingOptions {
  /** `http://host:port` of the polling endpoint. */
  origin: string;
  users: number;
  intervalMs: number;
  durationMs: number;
  recorder: LatencyRecorder;
}

/** What the polling users saw. */
export interface PollingResult {
  requests: number;
  failed: number;
  messages: number;
}

/**
 * The legacy browser: every user asks `GET /poll?user=<id>` every `intervalMs` (starts spread
 * over one interval), each on its own keep-alive connection as a browser tab would, and
 * records each message's delay from its publish time.
 */
export async function runPolling(options: PollingOptions): Promise<PollingResult> {
  const { origin, users, intervalMs, durationMs, recorder } = options;
  const result: PollingResult = { requests: 0, failed: 0, messages: 0 };
  const end = now() + durationMs;
  const pollOnce = (agent: Agent, user: number): Promise<void> =>
    new Promise((resolve) => {
      const request = get(`${origin}/poll?user=${user}`, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const receivedAt = now();
          result.requests += 1;
          try {
            const messages = JSON.parse(Buffer.concat(chunks).toString()) as Array<{
              body: string;
            }>;
            for (const message of messages) {
              recorder.record(receivedAt - Number(message.body.slice(1)));
              result.messages += 1;
            }
          } catch {
            result.failed += 1;
          }
          resolve();
        });
      });
      request.on('error', () => {
        result.failed += 1;
        resolve();
      });
    });
  const user = async (id: number): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await sleep(Math.random() * intervalMs);
    while (now() < end) {
      const started = now();
      await pollOnce(agent, id);
      await sleep(Math.max(0, intervalMs - (now() - started)));
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: users }, (_, id) => user(id)));
  return result;
}
