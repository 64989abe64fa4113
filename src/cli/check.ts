// `kizuki check`: drafts (files, folders of .txt/.md, or standard input) with line-numbered findings, `--fix` /
// `--fix-dry-run` for the rules marked `fix: safe`, `--batch` over JSONL, and `--templates` for the table of canned
// replies and Zendesk macros.
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  createEngine,
  describeLimits,
  evaluate,
  fixDraft,
  formatPackError,
  formatMisses,
  formatReport,
  stackPacks,
  type AnalyzeResult,
  type Engine,
  type Finding,
  type LabelledCase,
  type LoadedPack,
  type Tokenizer,
} from '../engine/index';
import { sharedTokenizer } from '../node/dictionary';
import { decodeText, loadBuiltinPack, readPackFile, readTextFile } from '../node/packs';
import { parseArgs, UsageError } from './args';
import { unifiedDiff } from './diff';
import { formatText } from './format';
import { ExitError, type Io } from './io';
import { checkTemplates, formatLayerIssue } from './pack-commands';

const STDIN_NAME = '(標準入力)';

export async function loadPacks(builtin: boolean, files: string[], tokenizer: Tokenizer, io: Io): Promise<LoadedPack[]> {
  const packs: LoadedPack[] = [];
  if (builtin) {
    const result = await loadBuiltinPack(tokenizer);
    if (!result.ok) throw new ExitError(`標準パックを読み込めません:\n${result.errors.map(formatPackError).join('\n')}`, 2);
    packs.push(result.pack);
  }
  for (const file of files) {
    const result = await readPackFile(file, { tokenizer, baseSignals: packs.flatMap((p) => p.signals) });
    if (!result.ok) throw new ExitError(`ルールパックを読み込めません:\n${result.errors.map(formatPackError).join('\n')}`, 2);
    packs.push(result.pack);
  }
  if (packs.length === 0) throw new UsageError('--no-builtin のときは --pack でパックを指定してください');
  // Later packs' overrides apply to earlier ones (layers.ts); layering problems are warnings on stderr.
  const stacked = stackPacks(packs);
  for (const issue of stacked.issues) io.stderr(`kizuki: ${formatLayerIssue(issue)}\n`);
  return stacked.packs;
}

export async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    values: ['--customer', '--pack', '--format', '--batch'],
    flags: ['--no-builtin', '--score', '--fix', '--fix-dry-run', '--templates'],
  });
  const format = args.values.get('--format')?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format は text か json です: ${format}`);
  const batch = args.values.get('--batch')?.at(-1);
  const fix = args.flags.has('--fix') ? 'write' : args.flags.has('--fix-dry-run') ? 'dry-run' : undefined;
  const templates = args.flags.has('--templates');
  if (batch && args.positionals.length > 0) throw new UsageError('--batch と FILE は同時に指定できません');
  if (args.flags.has('--score') && !batch) throw new UsageError('--score は --batch と一緒に使います');
  if (args.flags.has('--fix') && args.flags.has('--fix-dry-run')) throw new UsageError('--fix と --fix-dry-run は同時に指定できません');
  if (fix && (batch || templates)) throw new UsageError(`${args.flags.has('--fix') ? '--fix' : '--fix-dry-run'} は --batch・--templates と一緒には使えません`);
  if (fix && format === 'json') throw new UsageError('--fix・--fix-dry-run の出力は text だけです');
  if (templates && batch) throw new UsageError('--templates と --batch は同時に指定できません');
  if (templates && args.positionals.length === 0) throw new UsageError('--templates には確認するフォルダーかファイルを指定してください');

  const tokenizer = await sharedTokenizer();
  const packs = await loadPacks(!args.flags.has('--no-builtin'), args.values.get('--pack') ?? [], tokenizer, io);
  if (templates) return checkTemplates(args.positionals, packs, format, io);
  const engine = createEngine({ packs, tokenizer });
  if (batch) return checkBatch(batch, engine, args.flags.has('--score'), io);

  const inputs = await expandInputs(args.positionals.length > 0 ? args.positionals : ['-']);
  if (fix === 'write' && inputs.includes('-')) throw new UsageError('--fix は標準入力には使えません（--fix-dry-run で差分を表示できます）');
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('標準入力（-）は 1 回だけ指定できます');
  for (const input of inputs) {
    if (input.toLowerCase().endsWith('.json')) io.stderr(`kizuki: ${input} を返信の下書きとして確認します（Zendesk のマクロなら --templates を付けてください）\n`);
  }
  const customerFile = args.values.get('--customer')?.at(-1);
  const customer = customerFile ? await readTextFile(customerFile) : undefined;
  const safe = safeRules(packs);

  const reports: string[] = [];
  const jsonResults: (AnalyzeResult & { file?: string })[] = [];
  let anyError = false;
  for (const input of inputs) {
    const name = input === '-' ? STDIN_NAME : input;
    let draft = input === '-' ? decodeText(await io.readStdin(), STDIN_NAME) : await readTextFile(input);
    let fixReport = '';
    if (fix) {
      const fixed = fixDraft(draft, (d) => engine.analyze({ draft: d, customer }), (f) => safe.has(`${f.pack}/${f.rule}`));
      fixReport = describeFixes(name, draft, fixed.text, fixed.applied, fix);
      if (fix === 'write' && fixed.text !== draft) await writeFile(input, fixed.text);
      draft = fixed.text;
    }
    const result = engine.analyze({ draft, customer });
    anyError ||= result.findings.some((f) => f.severity === 'error');
    if (format === 'json') jsonResults.push(inputs.length > 1 ? { file: name, ...result } : result);
    else reports.push(fixReport + formatText(name, draft, result, { color: io.isTTY, nameSummary: inputs.length > 1 }));
  }
  if (format === 'json') io.stdout(JSON.stringify(inputs.length > 1 ? jsonResults : jsonResults[0], null, 2) + '\n');
  else io.stdout(reports.join('\n'));
  return anyError ? 1 : 0;
}

/** Qualified ids (`pack/rule`) of the rules whose first suggestion `--fix` may apply unattended. */
function safeRules(packs: LoadedPack[]): Set<string> {
  return new Set(packs.flatMap((p) => p.rules.filter((r) => r.fix === 'safe').map((r) => `${r.pack}/${r.id}`)));
}

function describeFixes(name: string, before: string, after: string, applied: { rule: string }[], mode: 'write' | 'dry-run'): string {
  if (applied.length === 0 || before === after) return `${name}: 自動で修正できる指摘はありません（fix: safe のルールだけを修正します）\n\n`;
  const counts = new Map<string, number>();
  for (const a of applied) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  const rules = [...counts].map(([rule, n]) => (n > 1 ? `${rule}×${n}` : rule)).join(', ');
  const verb = mode === 'write' ? '修正しました' : '修正します（--fix-dry-run のため書き込みません）';
  return `${unifiedDiff(before, after, name)}${name}: ${applied.length} 件を${verb}: ${rules}\n\n`;
}

const DRAFT_EXTENSIONS = ['.txt', '.md'];

/** Folders become the .txt / .md files in them (recursively, in name order); files and - stay as given. */
async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = input === '-' ? undefined : await stat(input).catch(() => undefined);
    if (!info?.isDirectory()) {
      out.push(input);
      continue;
    }
    const before = out.length;
    const visit = async (dir: string): Promise<void> => {
      for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.name.startsWith('.')) continue;
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) await visit(p);
        else if (DRAFT_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(p);
      }
    };
    await visit(input);
    if (out.length === before) throw new ExitError(`${input}: 確認する下書き（.txt / .md）がありません（Zendesk のマクロは --templates で確認します）`, 2);
  }
  return out;
}

async function checkBatch(file: string, engine: Engine, score: boolean, io: Io): Promise<number> {
  const input = file === '-' ? null : createReadStream(file);
  if (input) {
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', (e) => reject(new ExitError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'ファイルが見つかりません' : e.message}`, 2)));
    });
  }
  const lines = createInterface({ input: input ?? Readable.from(Buffer.from(await io.readStdin())), crlfDelay: Infinity });
  let lineNo = 0;
  let anyError = false;
  let badLines = 0;
  const cases: LabelledCase[] = [];
  const results: AnalyzeResult[] = [];
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let item: { id?: unknown; draft?: unknown; customer?: unknown };
    try {
      item = JSON.parse(line);
      if (typeof item !== 'object' || item === null || typeof item.draft !== 'string') throw new Error('"draft"（文字列）が必要です');
      // null is how many JSON writers say "no customer message".
      if (item.customer !== undefined && item.customer !== null && typeof item.customer !== 'string') throw new Error('"customer" は文字列です');
    } catch (error) {
      badLines++;
      io.stderr(`kizuki: ${file}:${lineNo}: 読めない行です: ${(error as Error).message}\n`);
      io.stdout(JSON.stringify({ id: null, line: lineNo, error: (error as Error).message }) + '\n');
      continue;
    }
    let result: AnalyzeResult;
    try {
      result = engine.analyze({ draft: item.draft as string, customer: (item.customer ?? undefined) as string | undefined });
    } catch (error) {
      // One reply the engine cannot analyse is reported on its line; the rest of the batch still runs.
      badLines++;
      io.stderr(`kizuki: ${file}:${lineNo}: この返信は確認できませんでした: ${(error as Error)?.message ?? String(error)}\n`);
      io.stdout(JSON.stringify({ id: item.id ?? null, line: lineNo, error: `確認できませんでした: ${(error as Error)?.message ?? String(error)}` }) + '\n');
      continue;
    }
    anyError ||= result.findings.some((f: Finding) => f.severity === 'error');
    // Say on stderr when a cap was hit; the JSON line carries `limits` for programs.
    if (result.limits) io.stderr(`kizuki: ${file}:${lineNo}: 上限: ${describeLimits(result.limits)}\n`);
    if (score) {
      cases.push(item as LabelledCase);
      results.push(result);
    } else io.stdout(JSON.stringify({ id: item.id ?? null, ...result }) + '\n');
  }
  if (score) {
    const report = evaluate(cases, results);
    // What was missed, case by case: what a QA lead reads to fix a rule or a label.
    io.stdout(formatReport(report) + '\n' + (report.misses.length ? `\nmisses (${report.misses.length}):\n${formatMisses(report)}\n` : ''));
  }
  return badLines > 0 ? 2 : anyError ? 1 : 0;
}
