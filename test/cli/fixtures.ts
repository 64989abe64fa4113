// Shared by the CLI tests: a pack of our own (so the assertions do not depend on the built-in pack's wording),
// scratch files, and an in-process runner of `main(argv, io)`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';

export const CLI_PACK = `id: cli-test
name: CLI テスト
version: 1.0.0
signals:
  - { id: complaint, label: 苦情, phrases: [届きません] }
rules:
  - id: conj
    kind: morpheme
    category: forbidden-phrase
    severity: error
    message: 「{match}」は避けましょう
    pattern: [{ surface: [でも, ですから], pos: 接続詞 }]
    suggestions: [{ text: '', label: 削除する }, 恐れ入りますが]
    examples:
      flag: [でも、それは仕様です。]
      pass: [どなたでもご利用いただけます。]
  - id: ryokai
    kind: substitution
    category: keigo
    severity: warning
    message: 「{match}」は目上の方には使いません
    regex: 了解(しました|です)
    replace: [承知いたしました]
    examples:
      flag: [{ draft: 了解しました。, fixed: 承知いたしました。 }]
  - id: apology
    kind: requirement
    category: missing-apology
    severity: warning
    label: お詫び
    message: '{signals}があるのにお詫びがありません'
    when: { any: [complaint] }
    require: [{ phrases: [申し訳ございません] }]
    suggestions: [ご不便をおかけし申し訳ございません。]
`;

/** A fresh directory with the given files (string = UTF-8 text, Uint8Array = raw bytes); returns a path helper. */
export function scratch(files: Record<string, string | Uint8Array>): (name: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return (name: string) => path.join(dir, name);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as `kizuki ...argv` with `stdin` piped in and stdout not a terminal. */
export async function kizuki(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => new TextEncoder().encode(stdin),
    isTTY: false,
  });
  return { code, stdout, stderr };
}
