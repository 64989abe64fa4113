// `pack lint`: everything that can be wrong with a pack before it is distributed, each with file, line, rule
// and field. Errors make the pack unusable (it would be refused); warnings are things a QA lead should look at.
// Pure: the tokenizer and the packs it stacks on (built-in, organisation…) are passed in.
import { RE2JS } from 're2js';
import { formatPackError, formatPath, loadPackText, parsePackText, stackPacks, type LoadedPack, type PackError, type Path, type Tokenizer } from '../engine/index';

export interface LintProblem {
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  rule?: string;
  path?: string;
  message: string;
  example?: string;
}

export interface LintResult {
  problems: LintProblem[];
  /** The loaded pack when it loads at all (so later files can be linted on top of it). */
  pack?: LoadedPack;
}

export async function lintPack(text: string, file: string, options: { tokenizer: Tokenizer | null; base: LoadedPack[] }): Promise<LintResult> {
  const baseSignals = options.base.flatMap((p) => p.signals);
  const asErrors = (errors: PackError[]): LintProblem[] => errors.map((e) => ({ severity: 'error', ...e }));
  const loaded = await loadPackText(text, { file, tokenizer: options.tokenizer, baseSignals, runExamples: false });
  if (!loaded.ok) return { problems: asErrors(loaded.errors) };
  const pack = loaded.pack;
  const parsed = parsePackText(text, file);
  const lineOf = parsed.ok ? parsed.lineOf : () => undefined;
  const raw = (parsed.ok ? parsed.data : {}) as { rules?: Record<string, unknown>[]; signals?: Record<string, unknown>[] };
  const problems: LintProblem[] = [];

  // Examples: loading again with them run gives each failure its line.
  const withExamples = await loadPackText(text, { file, tokenizer: options.tokenizer, baseSignals, runExamples: true });
  if (!withExamples.ok) problems.push(...asErrors(withExamples.errors));

  pack.rules.forEach((rule, i) => {
    const at = { file, rule: rule.id, line: lineOf(['rules', i]) };
    const spanRule = rule.kind === 'phrase' || rule.kind === 'morpheme' || rule.kind === 'substitution';
    if (rule.examples.flag.length === 0 && rule.examples.pass.length === 0) {
      problems.push({ severity: 'warning', ...at, path: `rules[${i}].examples`, message: '例（examples）がありません。ルールが効いているか、誤検知しないかを確かめられません' });
    } else if (spanRule && rule.examples.flag.length === 0) {
      problems.push({ severity: 'warning', ...at, path: `rules[${i}].examples.flag`, message: 'flag の例がありません。指摘すべき文の例を 1 つ以上書いてください' });
    } else if (spanRule && rule.examples.pass.length === 0) {
      problems.push({ severity: 'warning', ...at, path: `rules[${i}].examples.pass`, message: 'pass の例がありません。誤検知しやすい似た表現の例を書くと安心です' });
    }
  });

  // Regex safety: the loader already refused what RE2 cannot run; a regex that also matches the empty string
  // is almost always a mistake (`a*`, `(です)?`) and finds nothing useful.
  const checkRegexes = (value: unknown, path: Path, rule?: string) => {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    list.forEach((source, j) => {
      if (typeof source !== 'string') return;
      const fieldPath: Path = Array.isArray(value) ? [...path, j] : path;
      try {
        if (RE2JS.compile(source).matcher('').find()) {
          problems.push({ severity: 'warning', file, rule, line: lineOf(fieldPath), path: formatPath(fieldPath),
            message: `正規表現 ${JSON.stringify(source)} は空の文字列にもマッチします（* や ? の付け方を確認してください）` });
        }
      } catch {
        // Already reported by the loader.
      }
    });
  };
  (raw.rules ?? []).forEach((r, i) => {
    const id = typeof r.id === 'string' ? r.id : undefined;
    checkRegexes(r.regex, ['rules', i, 'regex'], id);
    for (const key of ['if', 'require', 'then', 'notWith'] as const) {
      const matchers = key === 'if' ? [r.if] : Array.isArray(r[key]) ? (r[key] as unknown[]) : [];
      matchers.forEach((m, j) => checkRegexes((m as { regex?: unknown } | undefined)?.regex, key === 'if' ? ['rules', i, 'if', 'regex'] : ['rules', i, key, j, 'regex'], id));
    }
  });
  (raw.signals ?? []).forEach((s, i) => checkRegexes(s.regex, ['signals', i, 'regex']));

  // Layering on top of the packs before it: shadowed built-in ids, overrides of rules that do not exist.
  for (const issue of stackPacks([...options.base, pack]).issues) {
    if (issue.pack !== pack.id) continue;
    const path = issue.path?.match(/^(rules|overrides)\[(\d+)\]$/);
    problems.push({
      severity: issue.severity,
      file,
      rule: issue.rule,
      path: issue.path,
      line: issue.line ?? (path ? lineOf([path[1]!, Number(path[2])]) : undefined),
      message: issue.message,
    });
  }
  if (pack.rules.length === 0 && pack.overrides.length === 0) problems.push({ severity: 'warning', file, message: 'ルールも overrides もありません' });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { problems, pack };
}

export function formatLintProblem(p: LintProblem): string {
  return `${p.severity === 'error' ? 'エラー' : '警告'} ${formatPackError(p)}`;
}
