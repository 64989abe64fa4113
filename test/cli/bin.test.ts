// The installed command: `bin/kizuki.js` built by `node build.mjs --cli`, run as its own process.
import { execFileSync, spawnSync } from 'node:child_process';
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
