import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyMerged, parseStatsCsv, renderReportHtml, summarise } from '../../src/stats/report';
import { main } from '../../src/cli/main';

const A = 'week,pack,rule,fired,applied,ignored\r\n2026-W45,builtin,dekimasen,4,2,1\r\n2026-W47,builtin,conjunction-demo-datte,6,1,4\r\n';
const B = 'week,pack,rule,fired,applied,ignored\r\n2026-W45,builtin,dekimasen,3,3,0\r\n2026-W47,builtin,conjunction-demo-datte,2,0,2\r\n2026-W47,team,heisha,1,1,0\r\n';

describe('stats report', () => {
  it('sums the exports per week and rule, fills the weeks between, and ranks the most ignored rules', () => {
    const merged = parseStatsCsv(B, parseStatsCsv(A, emptyMerged()));
    const data = summarise(merged, new Map([['builtin/dekimasen', '「できません」は突き放した印象を与えます。']]));
    expect(data.weeks).toEqual(['2026-W45', '2026-W46', '2026-W47']);
    expect(data.totals.map((t) => t.fired)).toEqual([7, 0, 9]);
    expect(data.rules.find((r) => r.rule === 'builtin/dekimasen')).toMatchObject({ fired: 7, applied: 5, ignored: 1, title: '「できません」は突き放した印象を与えます。' });
    expect(data.mostIgnored[0]!.rule).toBe('builtin/conjunction-demo-datte');
  });

  it('reads only export rows: a line with text in it is refused, never shown', () => {
    const hostile = A + '2026-W47,builtin,dekimasen,1,0,0,返品はできません\r\n2026-W47,<script>,x,1,1,1\r\n';
    const merged = parseStatsCsv(hostile, emptyMerged());
    expect(merged.refused).toBe(2);
    const html = renderReportHtml(summarise(merged, new Map()), new Date('2026-11-30T00:00:00Z'));
    expect(html).not.toContain('返品');
    expect(html).not.toContain('<script');
    expect(html).toContain('読めなかった 2 行');
    expect(() => parseStatsCsv('draft\nでも、返品はできません。\n')).toThrow(/統計 CSV ではありません/);
  });

  it('`kizuki stats report` writes one self-contained page with readable rule names and no file names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-report-'));
    writeFileSync(path.join(dir, 'tanaka.csv'), A);
    writeFileSync(path.join(dir, 'suzuki.csv'), B);
    const out = path.join(dir, 'report.html');
    let stdout = '';
    const code = await main(['stats', 'report', path.join(dir, 'tanaka.csv'), path.join(dir, 'suzuki.csv'), '-o', out], {
      stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t), readStdin: async () => new Uint8Array(), isTTY: false,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('2 件の書き出し');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('接続詞「でも、」');
    expect(html).not.toMatch(/tanaka|suzuki|\{match\}|<script|https?:\/\//);
    expect(html).toContain('2026年11月2日の週');
  });
});
