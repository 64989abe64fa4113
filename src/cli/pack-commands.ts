// Pack authoring commands for QA leads: `pack test`, `pack lint`, `pack import-prh`, and `check --templates` over
// canned replies / Zendesk macros. main.ts only dispatches here.
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createEngine, formatPackError, isSeverity, runExamples, SEVERITIES, type LayerIssue, type LoadedPack, type Severity } from '../engine/index';
import { lintPack, formatLintProblem } from '../authoring/lint';
import { importPrh, slug } from '../authoring/prh';
import { templatesFromZendesk, summariseTemplate, sortSummaries, type Template, type TemplateSummary } from '../authoring/templates';
import { sharedTokenizer } from '../node/dictionary';
import { loadBuiltinPack, packSchemaReference, readPackFile, readTextFile } from '../node/packs';
import { parseArgs, UsageError } from './args';
import { displayWidth } from './format';
import type { Io } from './io';

export function formatLayerIssue(issue: LayerIssue): string {
  const where = [issue.file ? issue.file + (issue.line ? `:${issue.line}` : '') : issue.pack, issue.rule ? `ルール ${issue.rule}` : '', issue.path ?? '']
    .filter(Boolean)
    .join(' ');
  return `${issue.severity === 'error' ? 'エラー' : '警告'} ${where}: ${issue.message}`;
}

export async function packLint(argv: string[], io: Io): Promise<number> {
  // A pack is linted on its own unless --on-builtin asks for the layering on the built-in pack to be checked too.
  // (--no-builtin, the old way to ask for "on its own", is still accepted.)
  const args = parseArgs(argv, { values: [], flags: ['--on-builtin', '--no-builtin', '--strict'] });
  if (args.positionals.length === 0) throw new UsageError('検査するパックのファイルを指定してください');
  if (args.flags.has('--on-builtin') && args.flags.has('--no-builtin')) throw new UsageError('--on-builtin と --no-builtin は同時に指定できません');
  const tokenizer = await sharedTokenizer();
  const base: LoadedPack[] = [];
  if (args.flags.has('--on-builtin')) {
    const builtin = await loadBuiltinPack(tokenizer);
    if (builtin.ok) base.push(builtin.pack);
    else io.stderr(`kizuki: 標準パックを読み込めません:\n${builtin.errors.map(formatPackError).join('\n')}\n`);
  }
  let errors = 0;
  let warnings = 0;
  for (const file of args.positionals) {
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (error) {
      io.stdout(`エラー ${(error as Error).message}\n`);
      errors++;
      continue;
    }
    const { problems, pack } = await lintPack(text, file, { tokenizer, base });
    for (const p of problems) io.stdout(formatLintProblem(p) + '\n');
    // Linted on its own, a pack written for the built-in one misses its signals and rules: say how to check that.
    if (!args.flags.has('--on-builtin') && problems.some((p) => /シグナル「[^」]+」が定義されていません|builtin\//.test(formatLintProblem(p)))) {
      io.stdout(`（${file} が標準パックのシグナルやルールを使うパックなら、--on-builtin を付けて重ねて検査してください）\n`);
    }
    errors += problems.filter((p) => p.severity === 'error').length;
    warnings += problems.filter((p) => p.severity === 'warning').length;
    if (pack) base.push(pack);
  }
  io.stdout(`${args.positionals.length} ファイル: エラー ${errors}、警告 ${warnings}\n`);
  return errors > 0 || (args.flags.has('--strict') && warnings > 0) ? 1 : 0;
}

export async function packImportPrh(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['-o', '--output', '--id', '--severity'], flags: [] });
  if (args.positionals.length !== 1) throw new UsageError('変換する prh の辞書ファイルを 1 つ指定してください');
  const file = args.positionals[0]!;
  const out = args.values.get('-o')?.at(-1) ?? args.values.get('--output')?.at(-1);
  const severity = args.values.get('--severity')?.at(-1) ?? 'warning';
  if (!isSeverity(severity)) throw new UsageError(`--severity は ${SEVERITIES.join(' / ')} です: ${severity}`);
  const packId = args.values.get('--id')?.at(-1) ?? (slug(path.basename(out ?? file).replace(/\.[^.]*$/, '')) || 'prh');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(packId)) throw new UsageError(`--id は英小文字・数字・. _ - で書いてください: ${packId}`);
  const text = await readTextFile(file);
  const schema = packSchemaReference(out ? path.dirname(out) : process.cwd());
  const result = await importPrh(text, file, { readFile: readTextFile, packId, severity, schema });
  for (const e of result.errors) io.stderr(`kizuki: ${e.file}: ${e.message}\n`);
  for (const s of result.skipped) io.stderr(`kizuki: ${s.file} rules[${s.index}]（${s.expected}）を除外: ${s.reason}\n`);
  if (result.converted === 0 && result.errors.length > 0) return 2;
  if (out) {
    await writeFile(out, result.yaml);
    io.stderr(`kizuki: ${out} に ${result.converted} ルールを書き出しました（除外 ${result.skipped.length}）\n`);
  } else io.stdout(result.yaml);
  return result.skipped.length > 0 || result.errors.length > 0 ? 1 : 0;
}

const TEMPLATE_EXTENSIONS = ['.txt', '.md'];

/** `errors`: inputs that could not be read (exit 2); `notes`: macros skipped for a reason the lead should see. */
async function collectTemplates(inputs: string[], errors: string[], notes: string[]): Promise<Template[]> {
  const templates: Template[] = [];
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(p);
    } catch {
      errors.push(`${p}: ファイルが見つかりません`);
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const entry of entries) if (!entry.startsWith('.')) await visit(path.join(p, entry), false);
      return;
    }
    const ext = path.extname(p).toLowerCase();
    try {
      if (ext === '.json') {
        const found = templatesFromZendesk(await readTextFile(p), p);
        templates.push(...found.templates);
        notes.push(...found.errors);
      } else if (explicit || TEMPLATE_EXTENSIONS.includes(ext)) {
        templates.push({ name: p, text: await readTextFile(p) });
      }
    } catch (error) {
      errors.push((error as Error).message);
    }
  };
  for (const input of inputs) await visit(input, true);
  return templates;
}

export async function checkTemplates(inputs: string[], packs: LoadedPack[], format: 'text' | 'json', io: Io): Promise<number> {
  const tokenizer = await sharedTokenizer();
  const engine = createEngine({ packs, tokenizer });
  const errors: string[] = [];
  const notes: string[] = [];
  const templates = await collectTemplates(inputs, errors, notes);
  for (const e of [...errors, ...notes]) io.stderr(`kizuki: ${e}\n`);
  if (templates.length === 0) {
    io.stderr('kizuki: 確認する定型文が見つかりません（.txt / .md / Zendesk の .json）\n');
    return 2;
  }
  const rows: (TemplateSummary & { findings?: unknown })[] = [];
  for (const t of templates) {
    const result = engine.analyze({ draft: t.text });
    rows.push(format === 'json' ? { ...summariseTemplate(t.name, result), findings: result.findings } : summariseTemplate(t.name, result));
  }
  const sorted = sortSummaries(rows);
  if (format === 'json') io.stdout(JSON.stringify({ templates: sorted }, null, 2) + '\n');
  else io.stdout(formatTemplateTable(sorted));
  // An input that could not be read is an I/O error (exit 2) even when the others were checked.
  return errors.length > 0 ? 2 : sorted.some((r) => r.counts.error > 0) ? 1 : 0;
}

export function formatTemplateTable(rows: TemplateSummary[]): string {
  const header = ['定型文', 'エラー', '警告', '情報', '主なルール'];
  const body = rows.map((r) => [
    r.name,
    String(r.counts.error),
    String(r.counts.warning),
    String(r.counts.info),
    r.topRules.slice(0, 3).map((t) => `${t.rule}×${t.count}`).join(', ') || '—',
  ]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((row) => displayWidth(row[i]!))));
  const pad = (cell: string, i: number) => (i >= 1 && i <= 3 ? ' '.repeat(widths[i]! - displayWidth(cell)) + cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)));
  const line = (row: string[]) => row.map(pad).join('  ').trimEnd();
  const failing = rows.filter((r) => r.counts.error + r.counts.warning > 0).length;
  const total = (s: Severity) => rows.reduce((n, r) => n + r.counts[s], 0);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    `${rows.length} 件の定型文のうち ${failing} 件にエラーか警告があります（エラー ${total('error')}、警告 ${total('warning')}、情報 ${total('info')}）`,
  ].join('\n') + '\n';
}


export async function packTest(files: string[], io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('テストするパックのファイルを指定してください');
  const tokenizer = await sharedTokenizer();
  const builtin = await loadBuiltinPack(tokenizer);
  const baseSignals = builtin.ok ? builtin.pack.signals : [];
  let failed = false;
  let unreadable = false;
  for (const file of files) {
    // Load without examples first, so that example failures are reported per rule rather than as a refusal.
    const result = await readPackFile(file, { tokenizer, baseSignals, runExamples: false });
    if (!result.ok) {
      io.stderr(`kizuki: ${file}: 読み込めません\n${result.errors.map((e) => '  ' + formatPackError(e)).join('\n')}\n`);
      unreadable = true;
      continue;
    }
    const outcomes = runExamples(result.pack, { tokenizer, baseSignals });
    io.stdout(`${file}: ${result.pack.name} ${result.pack.version}（${result.pack.rules.length} ルール）\n`);
    for (const rule of result.pack.rules) {
      const own = outcomes.filter((o) => o.rule === rule.id);
      const bad = own.filter((o) => !o.passed);
      const mark = own.length === 0 ? '?' : bad.length === 0 ? '✓' : '✗';
      io.stdout(`  ${mark} ${rule.id}（flag ${rule.examples.flag.length}、pass ${rule.examples.pass.length}）${own.length === 0 ? ' 例がありません' : ''}\n`);
      for (const o of bad) io.stdout(`      ${o.kind}[${o.index}] ${o.message}\n        例: ${JSON.stringify(o.example.draft)}\n`);
    }
    const total = outcomes.length;
    const bad = outcomes.filter((o) => !o.passed).length;
    io.stdout(`  ${total - bad} passed, ${bad} failed\n`);
    if (bad > 0) failed = true;
  }
  // A pack that cannot be read or is invalid is an I/O or pack error (2), worse than a failing example (1).
  return unreadable ? 2 : failed ? 1 : 0;
}
