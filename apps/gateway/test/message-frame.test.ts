import type { Meta } from '@postbode/protocol';
import { describe, expect, it } from 'vitest';
import { encodeEventFrame, encodeMessageFrame } from '../src/delivery/event-frame.js';
import { dataBytesOf } from '../src/ingest/data-bytes.js';
import { socketIoParser } from './support.js';

// ingest/data-bytes.ts finds the bytes of an envelope's `data` as published, and event-frame.ts
// `encodeMessageFrame` writes them into the frame as they are: what a client parses from that
// frame must be exactly what JSON.parse made of the envelope, whatever the publisher's spelling.

/** The arguments of the EVENT packet a frame carries, as socket.io-client decodes them. */
function argsOfFrame(frame: Buffer): unknown[] {
  const length = (frame[1] as number) & 0x7f;
  const header = length < 126 ? 2 : length === 126 ? 4 : 10;
  expect(frame[0]).toBe(0x81);
  expect(frame.toString('latin1', header, header + 1)).toBe('4');
  let args: unknown[] | undefined;
  const decoder = new socketIoParser.Decoder();
  decoder.on('decoded', (packet) => {
    expect(packet.type).toBe(2);
    args = packet.data;
  });
  decoder.add(frame.toString('utf8', header + 1));
  return args as unknown[];
}

/** A seeded xorshift: the same cases on every run. */
function randomSource(seed: number) {
  let state = seed;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}
type Random = ReturnType<typeof randomSource>;

const PIECES = [
  'a',
  'Z',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  'é',
  '中',
  '👋🏽',
  '\u2028',
  '\u2029',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'data',
];

/** A JSON value with the characters and nesting that could confuse a scan. */
function randomValue(random: Random, depth: number): unknown {
  const kind = random.int(depth > 3 ? 5 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.pick([0, -1, 1.5, 1e21, -2.5e-7, 123456789012, 42]);
    case 3:
    case 4:
      return Array.from({ length: random.int(6) }, () => random.pick(PIECES)).join('');
    case 5:
      return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = random.int(5); i > 0; i -= 1) {
        object[random.pick(['data', 'to', 'x', 'a"b', 'é', 'd\\a'])] = randomValue(
          random,
          depth + 1,
        );
      }
      return object;
    }
  }
}

/** Whitespace JSON allows between tokens, sometimes none. */
const space = (random: Random): string => random.pick(['', '', ' ', '\n  ', '\t', '\r\n']);

/** `value` as JSON text spelled the ways a publisher might: spaced, escaped, numbers as written. */
function spell(random: Random, value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => space(random) + spell(random, item) + space(random));
    return `[${items.join(',')}${items.length === 0 ? space(random) : ''}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(
      ([key, item]) =>
        `${space(random)}${spellString(random, key)}${space(random)}:${space(random)}${spell(random, item)}${space(random)}`,
    );
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'string') return spellString(random, value);
  if (value === 1e21 && random.next() < 0.5) return '1000000000000000000000';
  if (value === 42 && random.next() < 0.5) return '4.2e1';
  return JSON.stringify(value);
}

/** A string as JSON text, some characters written as `\u` escapes. */
function spellString(random: Random, text: string): string {
  if (random.next() < 0.7) return JSON.stringify(text);
  let out = '"';
  for (const char of text) {
    out +=
      char.length === 1 && random.next() < 0.3
        ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
        : JSON.stringify(char).slice(1, -1);
  }
  return `${out}"`;
}

/** An envelope's text with `data` somewhere among its members, maybe more than once. */
function envelopeText(random: Random, data: unknown): string {
  const members: Array<[string, string]> = [
    ['"action"', '"message.created"'],
    ['"to"', spell(random, { users: ['1', 'data'], roles: [] })],
    ['"ts"', '1764500000000'],
  ];
  if (random.next() < 0.3) members.push(['"site"', '"data"']);
  // An earlier `data` that JSON.parse overrides with the last one.
  if (random.next() < 0.2) members.push(['"data"', spell(random, randomValue(random, 0))]);
  members.sort(() => random.next() - 0.5);
  const key = random.pick(['"data"', '"data"', '"d\\u0061ta"', '"\\u0064ata"']);
  members.splice(random.int(members.length + 1), 0, [key, spell(random, data)]);
  return `${space(random)}{${members
    .map(([k, v]) => `${space(random)}${k}${space(random)}:${space(random)}${v}${space(random)}`)
    .join(',')}}${space(random)}`;
}

const META: Meta = { id: 'm-1', ts: 1764500000000, site: 'default' };

describe('dataBytesOf', () => {
  it('finds the bytes JSON.parse read as `data`, however the envelope is spelled (2,000 seeded cases)', () => {
    const random = randomSource(0x5eed);
    for (let i = 0; i < 2_000; i += 1) {
      const data = randomValue(random, 0);
      const text = envelopeText(random, data);
      const raw = Buffer.from(text);
      const parsed = JSON.parse(text) as { data: unknown };
      const bytes = dataBytesOf(raw);
      if (bytes === undefined) throw new Error(`no data found in ${text}`);
      expect({ text, data: JSON.parse(bytes.toString('utf8')) }).toEqual({
        text,
        data: parsed.data,
      });
      // A view of the message, not a copy, and no whitespace around the value.
      expect(bytes.buffer).toBe(raw.buffer);
      expect(bytes.toString('utf8')).toBe(bytes.toString('utf8').trim());
    }
  });

  it('gives nothing when there is no top-level `data`, only nested ones or a similar key', () => {
    for (const text of [
      '{"action":"x","to":{"data":1}}',
      '{"datas":1,"dat":2,"Data":3}',
      '{"x":"\\"data\\":1"}',
      '{"x":["data",{"data":{}}]}',
    ]) {
      expect(dataBytesOf(Buffer.from(text))).toBeUndefined();
    }
  });

  it('gives nothing for bytes that are not valid UTF-8 (JSON.parse read replacement characters)', () => {
    const invalid = [
      Buffer.from([0xff]),
      Buffer.from([0xc3]), // a sequence cut short
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as UTF-8
      Buffer.from([0xc0, 0xaf]), // an overlong '/'
    ];
    for (const bad of invalid) {
      const raw = Buffer.concat([
        Buffer.from('{"action":"message.created","data":{"body":"a'),
        bad,
        Buffer.from('"},"to":{"all":true}}'),
      ]);
      expect(() => JSON.parse(raw.toString('utf8'))).not.toThrow();
      expect(dataBytesOf(raw)).toBeUndefined();
    }
    // Outside `data`, it does not matter: the bytes of `data` are valid.
    const elsewhere = Buffer.concat([
      Buffer.from('{"site":"a'),
      Buffer.from([0xff]),
      Buffer.from('","data":{"body":"é"}}'),
    ]);
    expect(dataBytesOf(elsewhere)?.toString('utf8')).toBe('{"body":"é"}');
  });
});

describe('encodeMessageFrame', () => {
  it('writes what encodeEventFrame writes when given data as JSON.stringify spells it, or nothing', () => {
    const data = { body: 'é👋🏽\u2028"\\', n: 1.5, list: [null, true] };
    const meta: Meta = { id: 'a"b', ts: 1764500000123, site: 'default', offset: '1-0' };
    const expected = encodeEventFrame(['message.created', data, meta]);
    for (const dataJson of [Buffer.from(JSON.stringify(data)), undefined]) {
      const encoded = encodeMessageFrame('message.created', data, meta, dataJson);
      expect(
        encoded.options.wsPreEncodedFrame[0].equals(expected.options.wsPreEncodedFrame[0]),
      ).toBe(true);
      // The packet text engine.io's own path (long-polling) writes, read from the frame.
      const [text] = new socketIoParser.Encoder().encode({
        type: 2,
        data: ['message.created', data, meta],
        nsp: '/',
      });
      expect(encoded.packets).toEqual([text]);
    }
  });

  it.each([
    ['short', 10],
    ['16-bit length', 1_000],
    ['64-bit length', 70_000],
  ])(
    'carries the published bytes of data, which a client decodes to the same value (%s payload)',
    (_name, size) => {
      const text = `{ "to": {"users": [1]}, "data" : {\n  "body": "${'\\u00e9'.repeat(size)}",\n  "n": 4.2e1 } , "action":"message.created"}`;
      const raw = Buffer.from(text);
      const { data } = JSON.parse(text) as { data: unknown };
      const encoded = encodeMessageFrame('message.created', data, META, dataBytesOf(raw));
      const frame = encoded.options.wsPreEncodedFrame[0];
      // The header says how long the payload is.
      const payload =
        frame[1] === 126
          ? frame.readUInt16BE(2)
          : frame[1] === 127
            ? frame.readUInt32BE(6)
            : frame[1];
      const header = frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2;
      expect(frame.length).toBe(header + (payload as number));
      expect(argsOfFrame(frame)).toEqual(['message.created', data, META]);
      // The published spelling is kept (the escapes and the exponent), not re-encoded.
      expect(frame.includes('\\u00e9')).toBe(true);
      expect(frame.includes('4.2e1')).toBe(true);
      expect(JSON.parse((encoded.packets[0] as string).slice(1))).toEqual([
        'message.created',
        data,
        META,
      ]);
    },
  );
});
