import { PostbodeError, type SyncEvent } from '@postbode/protocol/core';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff-delay.js';
import { createRealtimeClient } from '../src/create-realtime-client.js';
import { DedupeWindow } from '../src/dedupe-window.js';
import { ListenerSet } from '../src/listener-set.js';
import { RealtimeError } from '../src/realtime-error.js';
import { ResumeCursor } from '../src/resume-cursor.js';

describe('DedupeWindow', () => {
  it('reports an id seen before', () => {
    const window = new DedupeWindow(3);
    expect(window.seen('a')).toBe(false);
    expect(window.seen('a')).toBe(true);
  });

  it('forgets the oldest id at capacity, so memory stays bounded', () => {
    const window = new DedupeWindow(2);
    window.seen('a');
    window.seen('b');
    window.seen('c');
    expect(window.seen('b')).toBe(true);
    expect(window.seen('c')).toBe(true);
    expect(window.seen('a')).toBe(false);
  });

  it('remembers nothing with capacity 0', () => {
    const window = new DedupeWindow(0);
    window.seen('a');
    expect(window.seen('a')).toBe(false);
  });
});

describe('ResumeCursor', () => {
  const sync = (fields: Partial<SyncEvent> = {}): SyncEvent => ({
    epoch: 'e1',
    offset: '5-0',
    recovered: true,
    replayed: 0,
    ...fields,
  });

  it('moves on with each new offset and refuses one it has reached (seen already)', () => {
    const cursor = new ResumeCursor({ epoch: 'e1', offset: '5-0' });
    expect(cursor.advance('4-9')).toBe(false);
    expect(cursor.advance('5-0')).toBe(false);
    expect(cursor.advance('5-1')).toBe(true);
    expect(cursor.advance('5-1')).toBe(false);
    expect(cursor.current).toEqual({ epoch: 'e1', offset: '5-1' });
  });

  it('takes every offset before it has one, and a sync then sets epoch and offset', () => {
    const cursor = new ResumeCursor(undefined);
    expect(cursor.advance('1-0')).toBe(true);
    expect(cursor.current).toBeUndefined();
    cursor.sync(sync({ epoch: 'e2', offset: '3-0', recovered: false, reason: 'no_cursor' }));
    expect(cursor.current).toEqual({ epoch: 'e2', offset: '3-0' });
    // A sync sets the cursor even backwards: a new epoch restarts the order.
    cursor.sync(sync({ epoch: 'e3', offset: '1-0', recovered: false, reason: 'epoch' }));
    expect(cursor.advance('2-0')).toBe(true);
  });

  it('asks for a resync when not recovered, except for a first connection (no_cursor)', () => {
    const cursor = new ResumeCursor(undefined);
    expect(cursor.sync(sync({ recovered: false, reason: 'no_cursor' }))).toBe(false);
    expect(cursor.sync(sync())).toBe(false);
    for (const reason of ['epoch', 'trimmed', 'too_many', 'unavailable'] as const) {
      expect(cursor.sync(sync({ recovered: false, reason })), reason).toBe(true);
    }
  });

  it('gives a copy, so the app cannot move it', () => {
    const cursor = new ResumeCursor({ epoch: 'e1', offset: '5-0' });
    const copy = cursor.current;
    if (copy !== undefined) copy.offset = '99-0';
    expect(cursor.current).toEqual({ epoch: 'e1', offset: '5-0' });
  });
});

describe('backoffDelay', () => {
  const settings = { min: 1000, max: 5000, jitter: 0.5 };

  it('doubles from min up to max', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, settings, middle))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('spreads by the jitter factor, within [0, max]', () => {
    expect(backoffDelay(0, settings, () => 0)).toBe(500);
    expect(backoffDelay(0, settings, () => 0.999999)).toBe(1500);
    expect(backoffDelay(5, settings, () => 0.999999)).toBe(5000);
  });
});

describe('ListenerSet', () => {
  it('calls every listener even when one throws, and reports the error', () => {
    const set = new ListenerSet<(value: number) => void>();
    const calls: number[] = [];
    const errors: unknown[] = [];
    set.add(() => {
      throw new Error('boom');
    });
    set.add((value) => calls.push(value));
    set.emit([1], (error) => errors.push(error));
    expect(calls).toEqual([1]);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('calls a once listener once, and removes by handle or by function', () => {
    const set = new ListenerSet<(value: number) => void>();
    const calls: string[] = [];
    set.add((value) => calls.push(`once ${value}`), true);
    const remove = set.add((value) => calls.push(`handle ${value}`));
    const fn = (value: number) => calls.push(`fn ${value}`);
    set.add(fn);
    set.emit([1], () => {});
    remove();
    remove();
    set.remove(fn);
    set.emit([2], () => {});
    expect(calls).toEqual(['once 1', 'handle 1', 'fn 1']);
    expect(set.size).toBe(0);
  });
});

describe('createRealtimeClient options', () => {
  it('needs a token or getToken', () => {
    expect(() => createRealtimeClient({ url: 'http://127.0.0.1:1' } as never)).toThrow(TypeError);
  });

  it('does not connect with autoConnect: false', () => {
    const client = createRealtimeClient({
      url: 'http://127.0.0.1:1',
      token: 't',
      autoConnect: false,
    });
    expect(client.status).toBe('disconnected');
    expect(client.socket.active).toBe(false);
    client.disconnect();
  });

  it('passes socketOptions through, keeping its own transports', () => {
    const client = createRealtimeClient({
      url: 'http://127.0.0.1:1',
      token: 't',
      autoConnect: false,
      socketOptions: { path: '/realtime/', reconnectionDelayMax: 1234 },
    });
    expect(client.socket.io.opts.path).toBe('/realtime/');
    expect(client.socket.io.reconnectionDelayMax()).toBe(1234);
    expect(client.socket.io.opts.transports).toEqual(['websocket', 'polling']);
    client.disconnect();
  });
});

describe('RealtimeError', () => {
  it('carries a protocol code and a cause', () => {
    const cause = new Error('network');
    const error = new RealtimeError('UNAUTHORIZED', 'getToken() failed', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('RealtimeError');
  });

  it("is the protocol's PostbodeError, and from() wraps into a RealtimeError", () => {
    const error = new RealtimeError('TOKEN_EXPIRED', 'token expired');
    expect(error).toBeInstanceOf(PostbodeError);
    const wrapped = RealtimeError.from(new PostbodeError('RATE_LIMITED', 'slow down'));
    expect(wrapped).toBeInstanceOf(RealtimeError);
    expect(wrapped).toMatchObject({ code: 'RATE_LIMITED', name: 'RealtimeError' });
    expect(RealtimeError.from(error)).toBe(error);
  });
});
