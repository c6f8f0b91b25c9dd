import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STREAM, type Meta } from '@postbode/protocol';
import { compareSchemas, compareVersions, type SchemaDocument } from '@postbode/protocol/compat';
import {
  connectSocket,
  type GatewayProcess,
  type RedisServer,
  recordEvents,
  startGatewayProcess,
  startRedis,
  TEST_JWT_SECRET,
  waitUntil,
} from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { writeProtocolVariant } from '../../../scripts/protocol-variant.mjs';
import { buildModel } from '../src/build-model.js';
import { deliveredActions } from './support/delivered-actions.js';
import { casesFor, type PublishCase } from './support/payload-cases.js';
import {
  actionsOf,
  publishWithRelease,
  releasedVersions,
  releasePhpDir,
  releaseSchema,
  versionsWithPhp,
} from './support/release-php.js';
import {
  BREAKING_CONTROL,
  EDITED_ACTION,
  REQUIRED_FIELD,
  SAFE_CHANGES,
  withEdits,
} from './support/schema-changes.js';

// Mixed versions (issue 15): a backend keeps running the PHP generated from an earlier release
// of the protocol while the gateway moves on. The PHP of each kept release (as it was generated
// then, test/fixtures/protocol-<version>/php) signs a token and publishes every action, every
// valid case of its schemas, through real redis-server and the built gateway process to a real
// socket.io client: the gateway of the working tree, then the same gateway running a newer
// protocol (the release's schemas with safe changes applied, scripts/protocol-variant.mjs). A
// breaking change is the control: the checker calls it breaking, and the gateway does reject.

const entry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));
const protocolVersion: string = JSON.parse(
  await readFile(new URL(import.meta.resolve('@postbode/protocol/package.json')), 'utf8'),
).version;
const SITE = 'nl';
const USER = '42';

/** What a test runs against: a redis-server and the built gateway on it. */
interface Stack {
  gateway: GatewayProcess;
  redis: RedisServer;
}

type Received = ReturnType<typeof deliveredActions>;
/** Every event a socket got, actions this protocol does not know included. */
type Events = ReturnType<typeof recordEvents>;

/** A redis-server, the built gateway on it (with `env`), for the duration of `body`. */
async function withGateway<T>(
  env: Record<string, string>,
  body: (stack: Stack) => Promise<T>,
): Promise<T> {
  const redis = await startRedis();
  try {
    const gateway = await startGatewayProcess({
      entry,
      env: { POSTBODE_REDIS_URL: redis.url, POSTBODE_JWT_SECRET: TEST_JWT_SECRET, ...env },
    });
    try {
      return await body({ gateway, redis });
    } finally {
      await gateway.stop();
    }
  } finally {
    await redis.stop();
  }
}

/** The same gateway running a protocol whose actions are those of `schema`. */
async function withVariantGateway<T>(
  schema: SchemaDocument,
  body: (stack: Stack) => Promise<T>,
): Promise<T> {
  const variant = await writeProtocolVariant(schema);
  try {
    return await withGateway(variant.env, body);
  } finally {
    await variant.remove();
  }
}

/**
 * With the PHP of `version`: signs a token, connects a socket.io client with it, publishes
 * `cases` (then whatever `andThen` publishes, returning its ids) and resolves with the ids and
 * what the client received by the time `until` holds.
 */
async function publishAndReceive(
  version: string,
  stack: Stack,
  cases: readonly PublishCase[],
  until: (ids: readonly string[], received: Received, events: Events) => boolean,
  andThen: () => Promise<string[]> = async () => [],
): Promise<{ ids: string[]; received: Received; events: Events }> {
  const input = { redisPort: stack.redis.port, site: SITE, secret: TEST_JWT_SECRET, userId: USER };
  const { token } = await publishWithRelease(version, { ...input, cases: [] });
  const socket = await connectSocket(stack.gateway.url, { token });
  try {
    const events = recordEvents(socket);
    const calls = cases.map(({ method, to, args, dates }) => ({ method, to, args, dates }));
    const published = await publishWithRelease(version, { ...input, cases: calls });
    expect(published.ids).toHaveLength(cases.length);
    const ids = [...published.ids, ...(await andThen())];
    await waitUntil(() => until(ids, deliveredActions(events), events), {
      timeoutMs: 20_000,
      description: `the messages the PHP of ${version} published`,
    });
    return { ids, received: deliveredActions(events), events };
  } finally {
    socket.disconnect();
  }
}

const everyIdReceived = (ids: readonly string[], received: Received) =>
  ids.every((id) => received.some((r) => r.meta.id === id));

/** Checks that each case arrived once, as the event of its action, with exactly its data. */
function expectDelivered(
  cases: readonly PublishCase[],
  ids: readonly string[],
  received: Received,
) {
  expect(received).toHaveLength(cases.length);
  cases.forEach((c, i) => {
    const got = received.find((r) => r.meta.id === ids[i]);
    expect(got?.event, c.name).toBe(c.action);
    expect(got?.data, `${c.action}: ${c.name}`).toEqual(c.data);
    expect(got?.meta.site).toBe(SITE);
  });
}

describe('the PHP of the release before the working tree is kept', () => {
  it('has a fixture, and each fixture says which protocol it speaks', async () => {
    const released = await releasedVersions();
    const older = released.filter((v) => compareVersions(v, protocolVersion) < 0);
    const previous = older.at(-1) ?? released[0];
    const kept = await versionsWithPhp();
    expect(
      kept,
      `keep the PHP generated from ${previous}: cp -r packages/php-publisher/php ${releasePhpDir(previous ?? '?')} (docs/protocol-versions.md)`,
    ).toContain(previous);
    for (const version of kept) {
      expect(released, `no snapshot of ${version}`).toContain(version);
      const composer = JSON.parse(
        await readFile(join(releasePhpDir(version), 'composer.json'), 'utf8'),
      );
      expect(composer.version).toBe(version);
    }
  });
});

describe.each(await versionsWithPhp())('the PHP generated from protocol %s', (version) => {
  const schema = () => releaseSchema(version);
  /** Every valid case of every action of the release, as its PHP takes them. */
  const validCases = async (): Promise<PublishCase[]> => {
    const actions = actionsOf(await schema());
    const model = buildModel({ actions });
    return model.actions.flatMap((action) => {
      const example = actions.find((a) => a.name === action.name)?.example ?? {};
      return casesFor(action, example as Record<string, unknown>)
        .filter((c) => c.expect === 'ok')
        .map((c) => ({ ...c, to: { users: [USER] } }));
    });
  };

  it('publishes every action through the gateway of the working tree', async () => {
    const cases = await validCases();
    const actions = actionsOf(await schema()).map((a) => a.name);
    expect([...new Set(cases.map((c) => c.action))]).toEqual(actions);
    await withGateway({}, async (stack) => {
      const { ids, received } = await publishAndReceive(version, stack, cases, everyIdReceived);
      expectDelivered(cases, ids, received);
    });
  }, 120_000);

  it.each(SAFE_CHANGES)('the checker calls this change safe: $name', async (edit) => {
    const findings = compareSchemas(await schema(), withEdits(await schema(), [edit]));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.level === 'breaking')).toEqual([]);
  });

  it('still publishes every action through a gateway that took every safe change', async () => {
    const newer = withEdits(await schema(), SAFE_CHANGES);
    const cases = await validCases();
    // What only the newer protocol takes, as a newer backend would publish it: proof that the
    // gateway runs the changed schemas.
    const edited = {
      action: EDITED_ACTION,
      data: { messageId: 'm-1', body: 'hoi!', editedAt: 1764250009000, traceId: 't-1' },
      to: { users: [USER] },
      site: SITE,
      id: 'from-a-newer-backend',
    };
    const appendEdited = async (redis: RedisServer) => {
      const client = redis.client();
      try {
        await client.xadd(DEFAULT_STREAM, '*', 'envelope', JSON.stringify(edited));
      } finally {
        client.disconnect();
      }
      return [edited.id];
    };
    await withVariantGateway(newer, async (stack) => {
      // The test's own protocol does not know the new action: look for it among all events.
      const editedArrived = (events: Events) =>
        events.some((e) => e.event === EDITED_ACTION && (e.args[1] as Meta).id === edited.id);
      const { ids, received, events } = await publishAndReceive(
        version,
        stack,
        cases,
        (ids, received, events) =>
          everyIdReceived(ids.slice(0, -1), received) && editedArrived(events),
        () => appendEdited(stack.redis),
      );
      expect(events.find((e) => e.event === EDITED_ACTION)?.args[0]).toEqual(edited.data);
      expectDelivered(cases, ids.slice(0, -1), received);
    });
  }, 120_000);

  it('control: a breaking change is called breaking, and that gateway rejects the old PHP', async () => {
    const broken = withEdits(await schema(), [BREAKING_CONTROL]);
    const findings = compareSchemas(await schema(), broken);
    expect(findings.map((f) => [f.rule, f.impacts.publisher, f.level])).toEqual([
      ['property-added-required', 'breaking', 'breaking'],
    ]);
    const cases = await validCases();
    const everyField = (action: string) =>
      cases.find((c) => c.action === action && c.name === 'every field') as PublishCase;
    const [first, second] = [...new Set(cases.map((c) => c.action))];
    // The rejected one first: once the second has arrived, the first was decided on.
    const pair = [everyField(first as string), everyField(second as string)];
    await withVariantGateway(broken, async (stack) => {
      const { ids, received } = await publishAndReceive(version, stack, pair, (ids, got) =>
        got.some((r) => r.meta.id === ids[1]),
      );
      expect(received.map((r) => r.event)).toEqual([second]);
      await waitUntil(
        () =>
          stack.gateway.output
            .split('\n')
            .some(
              (line) =>
                line.includes('"INVALID_PAYLOAD"') &&
                line.includes(`"${first}"`) &&
                line.includes(REQUIRED_FIELD),
            ),
        { description: `the gateway's log line that rejects ${first} (id ${ids[0]})` },
      );
    });
  }, 120_000);
});
