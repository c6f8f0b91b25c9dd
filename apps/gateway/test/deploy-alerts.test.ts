import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  collectOutput,
  spawnProcessGroup,
  startGatewayProcess,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { describe, expect, it } from 'vitest';

// The shipped alerting rules (issue 14): their unit tests run by promtool (Debian's
// `prometheus`, installed by scripts/bootstrap.sh), and every metric they name is one a live
// gateway exports, so that neither can drift silently.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rulesDir = join(repoRoot, 'deploy', 'prometheus');
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs `promtool <args>` in deploy/prometheus; resolves with its exit code and output. */
async function promtool(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnProcessGroup('promtool', args, {
    cwd: rulesDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  const output = collectOutput(child);
  try {
    await waitUntil(() => child.exitCode !== null || spawnError !== undefined, {
      timeoutMs: 60_000,
      description: `promtool ${args.join(' ')}`,
    });
  } finally {
    await stopProcessGroup(child);
  }
  if (spawnError !== undefined) {
    throw new Error(
      `promtool could not run (bash scripts/bootstrap.sh installs it): ${spawnError.message}`,
    );
  }
  return { code: child.exitCode, output: output() };
}

describe('deploy/prometheus/postbode-alerts.yml', () => {
  it('is valid and passes its unit tests (promtool test rules)', async () => {
    const check = await promtool(['check', 'rules', 'postbode-alerts.yml']);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.code).toBe(0);
    const test = await promtool(['test', 'rules', 'postbode-alerts.test.yml']);
    expect(test.output).toContain('SUCCESS');
    expect(test.code).toBe(0);
  });

  it('has a unit test in which each alert fires', async () => {
    const rules = await readFile(join(rulesDir, 'postbode-alerts.yml'), 'utf8');
    const tests = await readFile(join(rulesDir, 'postbode-alerts.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]);
    expect(alerts).toEqual([
      'PostbodeBusDown',
      'PostbodeBusGap',
      'PostbodeIngestLag',
      'PostbodeStreamEntriesMissed',
      'PostbodeRecoveryFailures',
      'PostbodeRejectionSpike',
      'PostbodeSocketsDropping',
      'PostbodeEventLoopLag',
    ]);
    const firing = new Set(
      [...tests.matchAll(/alertname: (\w+)\n\s+exp_alerts:\n\s+- exp_labels/g)].map((m) => m[1]),
    );
    expect(alerts.filter((alert) => !firing.has(alert))).toEqual([]);
  });

  it('names only metrics a live gateway exports (read from its /metrics)', async () => {
    const rules = await readFile(join(rulesDir, 'postbode-alerts.yml'), 'utf8');
    const used = [...new Set(rules.match(/\b(?:postbode|nodejs|process)_[a-z0-9_]+\b/g) ?? [])];
    expect(used.length).toBeGreaterThanOrEqual(10);
    const redis = await startRedis();
    const gateway = await startGatewayProcess({ entry, env: { POSTBODE_REDIS_URL: redis.url } });
    let text: string;
    try {
      text = await (await fetch(`${gateway.url}/metrics`)).text();
    } finally {
      await gateway.stop();
      await redis.stop();
    }
    const exported = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name as string);
      if (type === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) exported.add(name + s);
    }
    expect(exported.has('postbode_sockets_connected')).toBe(true);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });
});
