// The store builds: what each browser's manifest says, what ships in the package, and Mozilla's linter.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
// @ts-expect-error -- plain JS build script without type declarations
import { buildExtension } from '../../scripts/build-extension.mjs';

const root = path.resolve(__dirname, '../..');
const out = mkdtempSync(path.join(os.tmpdir(), 'kizuki-build-'));
/** A module and every module it imports statically (the chunks esbuild splits out), as one text. */
function loadedAtStart(dir: string, file: string, seen = new Set<string>()): string {
  const at = path.join(dir, file);
  if (seen.has(at)) return '';
  seen.add(at);
  const text = readFileSync(at, 'utf8');
  const imports = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm)].map((m) => m[1] ?? m[2]!);
  return text + imports.map((i) => path.resolve(path.dirname(at), i)).map((next) => loadedAtStart(path.dirname(next), path.basename(next), seen)).join('');
}
const manifest = (target: string) => JSON.parse(readFileSync(path.join(out, target, 'manifest.json'), 'utf8'));

beforeAll(async () => {
  await buildExtension({ root, outDir: out, log: () => {} });
  await buildExtension({ root, outDir: out, e2e: true, log: () => {} });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('extension build', () => {
  it('gives Chrome a module service worker, the offscreen document and the side panel', () => {
    const m = manifest('chrome');
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: 'background.js', type: 'module' });
    expect(m.permissions).toEqual(expect.arrayContaining(['offscreen', 'sidePanel', 'storage', 'scripting']));
    expect(m.side_panel.default_path).toBe('panel.html');
    expect(existsSync(path.join(out, 'chrome/offscreen.html'))).toBe(true);
    // Helpdesks only by default; everything else is opt-in.
    expect(m.host_permissions).toEqual(['https://*.zendesk.com/*', 'https://*.intercom.com/*']);
    expect(m.content_scripts.find((c: { world?: string }) => c.world === 'MAIN').js).toEqual(['bridge.js']);
  });

  it('gives Firefox background scripts, a gecko id and a sidebar instead', () => {
    const m = manifest('firefox');
    expect(m.background.scripts).toEqual(['dictionary-prefetch.js', 'background.js']);
    expect(m.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(m.sidebar_action.default_panel).toBe('panel.html');
    expect(m.permissions).not.toContain('offscreen');
    expect(m.side_panel).toBeUndefined();
  });

  it('ships the dictionary, the icons each store asks for, and zips', () => {
    for (const target of ['chrome', 'firefox']) {
      const dict = readdirSync(path.join(out, target, 'dict'));
      // One uncompressed file the tokenizer reads in place (scripts/build-dictionary.mjs), none of kuromoji's .gz.
      expect(dict).toEqual(['kizuki-ipadic.bin']);
      expect(readFileSync(path.join(out, target, 'dict', dict[0]!)).subarray(0, 4).toString('latin1')).toBe('KKZ1');
      for (const size of [16, 32, 48, 128]) {
        const png = readFileSync(path.join(out, target, `icons/icon-${size}.png`));
        expect(png.readUInt32BE(16), `icon-${size} width`).toBe(size);
      }
      expect(statSync(path.join(out, `kizuki-${target}.zip`)).size).toBeGreaterThan(5_000_000);
    }
  });

  it('keeps the test hooks out of the shipping builds and in the e2e builds only', () => {
    for (const target of ['chrome', 'firefox']) {
      const content = readFileSync(path.join(out, target, 'content.js'), 'utf8');
      expect(content).not.toContain('kizuki:updated');
      expect(content).not.toContain('kizuki:e2e-open-page');
      expect(JSON.stringify(manifest(target))).not.toContain('127.0.0.1');
    }
    for (const target of ['chrome-e2e', 'firefox-e2e']) {
      expect(readFileSync(path.join(out, target, 'content.js'), 'utf8')).toContain('kizuki:updated');
      expect(manifest(target).content_scripts[0].matches).toContain('http://127.0.0.1/*');
    }
    expect(manifest('firefox-e2e').browser_specific_settings.gecko.id).toBe(manifest('firefox').browser_specific_settings.gecko.id);
  });

  it("builds Chrome's service worker without the engine or the packs, and the engine host starts without the YAML reader", () => {
    // The worker starts at every browser start and wake-up before it can create the offscreen document: what it must
    // parse first delays the first underline (1.4 MB took about 0.4 s at a cold start). The host needs the YAML reader
    // only for a pack given as text, so it imports that on demand.
    const pack = readFileSync(path.join(root, 'rules/builtin.yaml'), 'utf8');
    const anId = pack.match(/^\s+- id: ([a-z0-9-]+)$/m)![1]!;
    for (const target of ['chrome', 'chrome-e2e']) {
      const worker = loadedAtStart(path.join(out, target), 'background.js');
      expect(worker).not.toContain('node_modules/yaml/');
      expect(worker).not.toContain('node_modules/re2js/');
      expect(worker).not.toContain('node_modules/@patdx/kuromoji/');
      expect(worker).not.toContain(`id: ${anId}`);
      expect(worker).not.toContain(`"id":"${anId}"`);
      const host = loadedAtStart(path.join(out, target), 'offscreen.js');
      expect(host).toContain('node_modules/re2js/');
      expect(host).toContain(`"id":"${anId}"`);
      // The built-in pack arrives parsed at build time: no YAML text, and no YAML reader until a pack needs it.
      expect(host).not.toContain(`id: ${anId}`);
      expect(host).not.toContain('node_modules/yaml/');
      const onDemand = readdirSync(path.join(out, target, 'chunks')).find((f) => f.startsWith('pack-text-'));
      expect(loadedAtStart(path.join(out, target, 'chunks'), onDemand!)).toContain('node_modules/yaml/');
    }
    // Firefox's event page is the engine host.
    expect(loadedAtStart(path.join(out, 'firefox'), 'background.js')).toContain('node_modules/re2js/');
  });

  it('passes web-ext lint for Firefox with no errors', async () => {
    const bin = path.join(root, 'node_modules/.bin/web-ext');
    const { stdout } = await promisify(execFile)(bin, ['lint', '--source-dir', path.join(out, 'firefox'), '--self-hosted', '--output', 'json'], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout);
    expect(report.errors.map((e: { code: string; message: string }) => `${e.code}: ${e.message}`)).toEqual([]);
  });
});
