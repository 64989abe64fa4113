// The installed command: `bin/kizuki.js` built by `node build.mjs --cli`, run as its own process.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/node/packs';
import { CLI_PACK, scratch } from './fixtures';

const bin = path.join(projectRoot, 'bin', 'kizuki.js');
const file = scratch({ 'pack.yaml': CLI_PACK, 'draft.txt': 'お世話になっております。\nですから、了解です。\n' });

function run(args: string[], input = '') {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/kizuki.js', () => {
  beforeAll(() => {
    // Build only the CLI bundle (not rules/pack.schema.json, which another test compares with its source).
    execFileSync(process.execPath, ['--input-type=module', '-e', "const { buildNode } = await import('./build.mjs'); await buildNode();"], { cwd: projectRoot });
  });

  it('checks a file and prints the marked line, exiting 1 for an error finding', () => {
    const { code, stdout, stderr } = run(['check', '--no-builtin', '--pack', file('pack.yaml'), file('draft.txt')]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain(`${file('draft.txt')}:2:1 error 「ですから」は避けましょう [forbidden-phrase/conj]\n    ですから、了解です。\n    ^^^^^^^^\n`);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('2 件の指摘（エラー 1、警告 1、情報 0）');
  });

  it('checks standard input with the built-in pack and prints JSON', () => {
    const { code, stdout } = run(['check', '--format', 'json'], 'でも、それは仕様です。');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ findings: expect.arrayContaining([expect.objectContaining({ category: 'forbidden-phrase', text: expect.stringMatching(/^でも/) })]) });
  });

  it('runs --batch and pack test, and exits 2 with the usage on a usage error', () => {
    const batch = run(['check', '--no-builtin', '--pack', file('pack.yaml'), '--batch', '-'], '{"id":1,"draft":"了解です。"}\n{"id":2,"draft":"承知いたしました。"}\n');
    expect(batch.code).toBe(0);
    expect(batch.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([1, 2]);
    const packTest = run(['pack', 'test', file('pack.yaml')]);
    expect(packTest.code).toBe(0);
    expect(packTest.stdout).toContain('  3 passed, 0 failed');
    const usage = run(['check', '--format', 'yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('kizuki: --format は text か json です: yaml');
    expect(usage.stdout).toBe('');
  });
});

// In this file (run in order) rather than its own: `npm pack` runs `prepare`, which rebuilds dist/node/cli.js, the
// bundle the tests above execute.
describe('the npm package', () => {
  it('packs with `npm pack`, installs offline into a temporary prefix with no cache, and checks a reply from any folder', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'kizuki-package-'));
    try {
      const npm = (args: string[], cwd: string) => {
        // An empty cache and --offline: the package must need nothing from a registry.
        const env = { ...process.env, npm_config_cache: path.join(work, 'cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
        const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', shell: process.platform === 'win32' });
        expect(r.status, `npm ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
        return r.stdout;
      };
      const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], projectRoot)) as { filename: string; files: { path: string }[] }[];
      const files = packed!.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['bin/kizuki.js', 'dist/node/cli.js', 'dist/dict/base.dat.gz', 'rules/builtin.yaml', 'rules/pack.schema.json']));
      expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([]);
      const prefix = path.join(work, 'prefix');
      npm(['install', '-g', '--offline', '--prefix', prefix, path.join(work, packed!.filename)], work);

      const elsewhere = path.join(work, 'replies');
      mkdirSync(elsewhere);
      writeFileSync(path.join(elsewhere, 'reply.txt'), 'でも、返品はできません。\n');
      const kizukiBin = process.platform === 'win32' ? path.join(prefix, 'kizuki.cmd') : path.join(prefix, 'bin', 'kizuki');
      const env = { ...process.env, NO_COLOR: '1', NODE_PATH: '' };
      const run = (args: string[]) => spawnSync(kizukiBin, args, { cwd: elsewhere, env, encoding: 'utf8', shell: process.platform === 'win32' });
      const version = run(['--version']);
      expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version);
      const checked = run(['check', 'reply.txt']);
      // 「でも、」 as a conjunction is a token rule: it needs the dictionary shipped in the package.
      expect(checked.stdout).toMatch(/^reply\.txt:1:1 error .*\[forbidden-phrase\/conjunction-demo-datte\]/m);
      expect(checked.status).toBe(1);

      // import-prh points editors at the schema inside the installed package, by a path that resolves offline.
      writeFileSync(path.join(elsewhere, 'dict.yml'), 'version: 1\nrules:\n  - expected: 問い合わせ\n    pattern: 問合せ\n');
      expect(run(['pack', 'import-prh', 'dict.yml', '-o', 'house.yaml']).status).toBe(0);
      const modeline = readFileSync(path.join(elsewhere, 'house.yaml'), 'utf8').split('\n')[0]!;
      const schemaRef = modeline.replace('# yaml-language-server: $schema=', '');
      const schema = JSON.parse(readFileSync(path.resolve(elsewhere, schemaRef), 'utf8')) as { $id: string };
      expect(path.resolve(elsewhere, schemaRef).startsWith(prefix)).toBe(true);
      expect(schema.$id).toBe('https://kizuki.dev/schemas/pack-v1.json');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
