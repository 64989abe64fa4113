import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadPackText } from '../../src/engine/index';
import { newSubscription, refreshSubscription, compareVersions, displayStatus, withPin, type RefreshOptions, type SubscriptionState } from '../../src/distribution/subscription';

const packText = (version: string, extra = '') => `id: team
name: チーム
version: ${version}
rules:
  - id: muri
    kind: phrase
    category: forbidden-phrase
    severity: error
    message: '<script>alert(1)</script>「{match}」'
    phrases: [無理です]
    examples: { flag: [無理です], pass: [無理のない] }
${extra}`;

let server: Server;
let base: string;
/** What each path serves; tests change it between refreshes. */
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const requests: { path: string; ifNoneMatch?: string }[] = [];

const servePack = (text: string, etag: string) => (req: IncomingMessage, res: ServerResponse) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/yaml; charset=utf-8', ETag: etag }).end(text);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ path: req.url!, ifNoneMatch: req.headers['if-none-match'] as string | undefined });
    const route = routes.get(req.url!);
    if (route) route(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

let clock = Date.parse('2026-11-23T10:00:00Z');
const options = (extra: Partial<RefreshOptions> = {}): RefreshOptions => ({
  fetch,
  now: () => new Date((clock += 60_000)),
  validate: (text, url) => loadPackText(text, { file: url }),
  insecureHostsForTesting: ['127.0.0.1'],
  timeoutMs: 2000,
  ...extra,
});

async function subscribedGood(path: string, version = '1.0.0'): Promise<SubscriptionState> {
  routes.set(path, servePack(packText(version), `"v${version}"`));
  const state = await refreshSubscription(newSubscription(`${base}${path}`), options());
  expect(state).toMatchObject({ status: 'active', good: { version, packId: 'team' }, etag: `"v${version}"` });
  return state;
}

describe('pack subscription by URL', () => {
  it('downloads a pack, then revalidates with If-None-Match and keeps it on 304', async () => {
    const first = await subscribedGood('/a.yaml');
    expect(first.good!.text).toContain('<script>alert(1)</script>'); // stored as text, never interpreted
    const second = await refreshSubscription(first, options());
    expect(requests.filter((r) => r.path === '/a.yaml').map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1.0.0"']);
    expect(second.status).toBe('active');
    expect(second.good).toEqual(first.good);
    expect(Date.parse(second.lastSuccess!)).toBeGreaterThan(Date.parse(first.lastSuccess!));
  });

  it('takes a newer version and refuses one that goes backwards, keeping the newer', async () => {
    const first = await subscribedGood('/b.yaml', '1.1.0');
    routes.set('/b.yaml', servePack(packText('1.2.0'), '"v1.2.0"'));
    const newer = await refreshSubscription(first, options());
    expect(newer).toMatchObject({ status: 'active', good: { version: '1.2.0' } });
    routes.set('/b.yaml', servePack(packText('1.0.9'), '"v1.0.9"'));
    const older = await refreshSubscription(newer, options());
    expect(older).toMatchObject({ status: 'refused', good: { version: '1.2.0' } });
    expect(older.reason).toContain('1.2.0 → 1.0.9');
  });

  it('a 404 keeps the last good version and marks it stale with the reason', async () => {
    const good = await subscribedGood('/c.yaml');
    routes.delete('/c.yaml');
    const after = await refreshSubscription(good, options());
    expect(after).toMatchObject({ status: 'stale', reason: 'ダウンロードできません（HTTP 404）', good: good.good });
    expect(displayStatus(after, new Date(clock)).status).toBe('stale');
  });

  it('a 404 with nothing downloaded yet means the pack is not active', async () => {
    const state = await refreshSubscription(newSubscription(`${base}/never.yaml`), options());
    expect(state).toMatchObject({ status: 'refused', reason: 'ダウンロードできません（HTTP 404）' });
    expect(state.good).toBeUndefined();
  });

  it('refuses content that does not match the sha256 pin, and accepts content that does', async () => {
    const text = packText('2.0.0');
    routes.set('/pinned.yaml', servePack(text, '"p"'));
    const right = createHash('sha256').update(text).digest('hex');
    const ok = await refreshSubscription(newSubscription(`${base}/pinned.yaml`, right.toUpperCase()), options());
    expect(ok).toMatchObject({ status: 'active', good: { sha256: right } });
    const wrong = await refreshSubscription(newSubscription(`${base}/pinned.yaml`, 'a'.repeat(64)), options());
    expect(wrong.status).toBe('refused');
    expect(wrong.reason).toContain('sha256 が一致しません');
  });

  it('refuses an invalid pack or one whose examples fail, keeping the last good version', async () => {
    const good = await subscribedGood('/d.yaml');
    routes.set('/d.yaml', servePack('id: team\nname: x\nversion: 1.1.0\nrules: [{ id: x, kind: nope }]\n', '"bad"'));
    const invalid = await refreshSubscription(good, options());
    expect(invalid).toMatchObject({ status: 'refused', good: good.good });
    expect(invalid.reason).toMatch(/パックとして使えません: .*rules\[0\]\.kind/);
    routes.set('/d.yaml', servePack(packText('1.1.0').replace('flag: [無理です]', 'flag: [大丈夫です]'), '"failing"'));
    const failing = await refreshSubscription(invalid, options());
    expect(failing).toMatchObject({ status: 'refused', good: good.good });
    expect(failing.reason).toContain('flag の例なのに指摘されませんでした');
  });

  it('refuses a redirect to plain http', async () => {
    const port = (server.address() as AddressInfo).port;
    routes.set('/moved.yaml', (_req, res) => res.writeHead(302, { Location: `http://localhost:${port}/a.yaml` }).end());
    const state = await refreshSubscription(newSubscription(`${base}/moved.yaml`), options());
    expect(state.status).toBe('refused');
    expect(state.reason).toContain('リダイレクト先');
    expect(state.reason).toContain('https の URL だけ使えます');
  });

  it('checks every hop of a redirect chain: an http hop in the middle is refused even when the chain ends on an allowed URL', async () => {
    const port = (server.address() as AddressInfo).port;
    await subscribedGood('/end.yaml');
    // 127.0.0.1 stands for https here (insecureHostsForTesting); localhost is plain http, which is refused.
    routes.set('/chain.yaml', (_req, res) => res.writeHead(302, { Location: `http://localhost:${port}/hop.yaml` }).end());
    routes.set('/hop.yaml', (_req, res) => res.writeHead(301, { Location: `${base}/end.yaml` }).end());
    const state = await refreshSubscription(newSubscription(`${base}/chain.yaml`), options());
    expect(state.status).toBe('refused');
    expect(state.reason).toContain(`リダイレクト先 http://localhost:${port}/hop.yaml は使えません`);
    expect(requests.some((r) => r.path === '/hop.yaml')).toBe(false);
    // A chain of allowed hops is followed to the pack.
    routes.set('/chain2.yaml', (_req, res) => res.writeHead(307, { Location: '/end.yaml' }).end());
    expect(await refreshSubscription(newSubscription(`${base}/chain2.yaml`), options())).toMatchObject({ status: 'active', good: { packId: 'team' } });
    // And a loop stops.
    routes.set('/loop.yaml', (_req, res) => res.writeHead(302, { Location: '/loop.yaml' }).end());
    expect((await refreshSubscription(newSubscription(`${base}/loop.yaml`), options())).reason).toContain('リダイレクトが多すぎます');
  });

  it('a changed sha256 pin drops a stored version that does not match it, and keeps one that does', async () => {
    const good = await subscribedGood('/repin.yaml');
    const other = withPin(good, good.url, 'c'.repeat(64));
    expect(other).toMatchObject({ sha256: 'c'.repeat(64), status: 'pending' });
    expect(other.good).toBeUndefined();
    expect(other.etag).toBeUndefined();
    const same = withPin(good, good.url, good.good!.sha256.toUpperCase());
    expect(same.good).toEqual(good.good);
    expect(same.lastChecked).toBeUndefined(); // checked again at the next refresh
    // The next refresh downloads again (no If-None-Match for the dropped version) and refuses the wrong bytes.
    const refreshed = await refreshSubscription(other, options());
    expect(refreshed).toMatchObject({ status: 'refused' });
    expect(refreshed.good).toBeUndefined();
    expect(requests.at(-1)).toEqual({ path: '/repin.yaml', ifNoneMatch: undefined });
  });

  it('gives up on a server that does not answer, keeping the good version', async () => {
    const good = await subscribedGood('/slow.yaml');
    routes.set('/slow.yaml', () => {
      /* never answers */
    });
    const after = await refreshSubscription(good, options({ timeoutMs: 300 }));
    expect(after).toMatchObject({ status: 'stale', good: good.good });
    expect(after.reason).toContain('応答がありませんでした');
  });

  it('refuses a pack over 1 MB, whether declared or streamed', async () => {
    const big = packText('1.0.0', '# ' + 'あ'.repeat(400_000) + '\n');
    routes.set('/big.yaml', servePack(big, '"big"'));
    const declared = await refreshSubscription(newSubscription(`${base}/big.yaml`), options());
    expect(declared).toMatchObject({ status: 'refused' });
    expect(declared.reason).toContain('大きすぎます');
    routes.set('/chunked.yaml', (_req, res) => {
      res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
      for (let i = 0; i < 12; i++) res.write('#'.repeat(100_000) + '\n');
      res.end();
    });
    const streamed = await refreshSubscription(newSubscription(`${base}/chunked.yaml`), options());
    expect(streamed).toMatchObject({ status: 'refused' });
    expect(streamed.reason).toContain('大きすぎます');
  });

  it('accepts only https: plain http without the test option, and file: outside developer mode, are refused unfetched', async () => {
    const before = requests.length;
    const http = await refreshSubscription(newSubscription(`${base}/a.yaml`), options({ insecureHostsForTesting: [] }));
    expect(http).toMatchObject({ status: 'refused', reason: 'https の URL だけ使えます（http は不可）' });
    const file = await refreshSubscription(newSubscription('file:///tmp/team.yaml'), options());
    expect(file).toMatchObject({ status: 'refused', reason: 'file: の URL は開発者モードでのみ使えます' });
    expect(requests.length).toBe(before);
    const served = packText('1.0.0');
    const dev = await refreshSubscription(newSubscription('file:///tmp/team.yaml'), options({
      developerMode: true,
      fetch: async () => new Response(served),
    }));
    expect(dev).toMatchObject({ status: 'active', good: { version: '1.0.0' } });
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('2.0.0', '2.0.0-beta')).toBe(0);
    expect(compareVersions('0.9.0', '1.0.0')).toBe(-1);
  });
});
