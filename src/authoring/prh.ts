// Converts prh dictionaries (the YAML house-style format many Japanese teams already keep) into a kizuki pack of
// substitution rules. prh semantics followed here, as documented by prh:
//   - a rule is `expected` (or just a string); `pattern`/`patterns` is a string, a `/regex/flags` string or a list;
//   - without a pattern, `expected` itself is the pattern, with every ASCII letter/digit matching its upper/lower
//     and full-width forms; `options.wordBoundary` adds \b on both sides;
//   - a match equal to `expected` is not reported; `$1`… in `expected` refer to regex groups;
//   - `specs: [{from, to}]` are tests that must hold, otherwise prh refuses the dictionary;
//   - `imports` merges other files (relative paths), optionally with `ignoreRules` and `disableImports`.
// kizuki matches with RE2 (linear time), so JavaScript-only regex features are translated where a safe equivalent
// exists (a literal followed by a negative lookahead, `regexpMustEmpty` on a literal prefix: both become `except`)
// and otherwise the rule is skipped and reported. Pure: file reading is injected.
import { parse as parseYaml, stringify } from 'yaml';
import { applyEdit, compileRegex, createEngine, escapeRegex, loadPackData, MatcherCompileError, suggestionEdit, type Finding, type PackError, type Severity } from '../engine/index';

export interface PrhImportOptions {
  /** Reads an imported file; `path` is already resolved against the importing file. */
  readFile: (path: string) => Promise<string>;
  packId: string;
  packName?: string;
  version?: string;
  severity?: Severity;
  category?: string;
  /** Where editors find the JSON Schema, for the `# yaml-language-server: $schema=` line (default ./pack.schema.json). */
  schema?: string;
}

export interface SkippedPrhRule {
  file: string;
  /** Index in that file's `rules`. */
  index: number;
  expected: string;
  reason: string;
}

export interface PrhImportResult {
  /** The pack as data (ready for loadPackData), and as YAML text. */
  pack: Record<string, unknown>;
  yaml: string;
  converted: number;
  skipped: SkippedPrhRule[];
  /** Problems with the dictionary files themselves (unreadable import, not a prh file). */
  errors: { file: string; message: string }[];
}

interface RawRule {
  file: string;
  index: number;
  raw: unknown;
}

const REGEX_LITERAL = /^\/(.*)\/([a-z]*)$/s;
const HALF = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const FULL = 'ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ０１２３４５６７８９';

export async function importPrh(text: string, file: string, options: PrhImportOptions): Promise<PrhImportResult> {
  const errors: PrhImportResult['errors'] = [];
  const rawRules = await collectRules(text, file, options.readFile, errors, new Set());
  const skipped: SkippedPrhRule[] = [];
  const rules: Record<string, unknown>[] = [];
  const sources: RawRule[] = [];
  const usedIds = new Set<string>();
  for (const r of rawRules) {
    const converted = convertRule(r, options);
    if ('reason' in converted) {
      skipped.push(converted);
      continue;
    }
    let id = converted.rule.id as string;
    for (let n = 2; usedIds.has(id); n++) id = `${converted.rule.id}-${n}`;
    usedIds.add(id);
    rules.push({ ...converted.rule, id });
    sources.push(r);
  }

  const header = {
    format: 1,
    id: options.packId,
    name: options.packName ?? `${options.packId}（prh から変換）`,
    version: options.version ?? '1.0.0',
    description: `prh 辞書 ${basename(file)} から kizuki pack import-prh で変換しました。`,
  };
  // prh refuses a dictionary whose specs fail; here only the failing rules are left out, and reported.
  const kept = await keepRulesWhoseSpecsHold({ ...header, rules }, sources, rules, skipped);
  const pack = { ...header, rules: kept };
  const yaml =
    `# yaml-language-server: $schema=${options.schema ?? './pack.schema.json'}\n` +
    `# prh 辞書 ${basename(file)} から生成（${kept.length} ルール変換、${skipped.length} ルール除外）。\n` +
    stringify(pack, { lineWidth: 0 });
  return { pack, yaml, converted: kept.length, skipped, errors };
}

async function collectRules(
  text: string,
  file: string,
  readFile: (path: string) => Promise<string>,
  errors: PrhImportResult['errors'],
  visiting: Set<string>,
  ignore: IgnoreRule[] = [],
  followImports = true,
): Promise<RawRule[]> {
  if (visiting.has(file)) {
    errors.push({ file, message: 'imports が循環しています（このファイルは既に読み込まれています）' });
    return [];
  }
  visiting.add(file);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    errors.push({ file, message: `YAML として読めません: ${(error as Error).message.split('\n')[0]}` });
    return [];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    errors.push({ file, message: 'prh の辞書ではありません（version と rules を持つ YAML が必要です）' });
    return [];
  }
  const d = doc as { version?: unknown; rules?: unknown; imports?: unknown };
  if (d.version !== undefined && d.version !== 1) errors.push({ file, message: `prh の version ${String(d.version)} は未対応です（1 のみ）` });
  const out: RawRule[] = [];
  if (followImports) {
    const imports = d.imports === undefined || d.imports === null ? [] : Array.isArray(d.imports) ? d.imports : [d.imports];
    for (const imp of imports) {
      const spec = typeof imp === 'string' ? { path: imp } : (imp as { path?: unknown; disableImports?: unknown; ignoreRules?: unknown });
      if (typeof spec?.path !== 'string') {
        errors.push({ file, message: 'imports の項目には path（文字列）が必要です' });
        continue;
      }
      const target = resolveRelative(file, spec.path);
      let importedText: string;
      try {
        importedText = await readFile(target);
      } catch (error) {
        errors.push({ file, message: `imports の ${spec.path} を読めません: ${(error as Error).message}` });
        continue;
      }
      const ignoreRules = (Array.isArray(spec.ignoreRules) ? spec.ignoreRules : []).map(toIgnoreRule);
      out.push(...(await collectRules(importedText, target, readFile, errors, visiting, [...ignore, ...ignoreRules], spec.disableImports !== true)));
    }
  }
  if (d.rules !== undefined && d.rules !== null && !Array.isArray(d.rules)) errors.push({ file, message: 'rules は配列でなければなりません' });
  (Array.isArray(d.rules) ? d.rules : []).forEach((raw, index) => {
    if (!ignore.some((ig) => ignores(ig, raw))) out.push({ file, index, raw });
  });
  visiting.delete(file);
  return out;
}

type IgnoreRule = { pattern?: string; expected?: string };

function toIgnoreRule(x: unknown): IgnoreRule {
  if (typeof x === 'string') return { pattern: x };
  const o = (x ?? {}) as Record<string, unknown>;
  return { ...(typeof o.pattern === 'string' ? { pattern: o.pattern } : {}), ...(typeof o.expected === 'string' ? { expected: o.expected } : {}) };
}

function ignores(ig: IgnoreRule, raw: unknown): boolean {
  const rule = (typeof raw === 'string' ? { expected: raw } : raw) as { expected?: unknown; pattern?: unknown; patterns?: unknown };
  if (ig.expected !== undefined && rule?.expected === ig.expected) return true;
  if (ig.pattern !== undefined) {
    const patterns = [rule?.pattern, rule?.patterns].flat().filter((p): p is string => typeof p === 'string');
    const strip = (p: string) => p.replace(REGEX_LITERAL, '$1');
    return patterns.some((p) => p === ig.pattern || strip(p) === strip(ig.pattern!));
  }
  return false;
}

function convertRule(r: RawRule, options: PrhImportOptions): { rule: Record<string, unknown> } | SkippedPrhRule {
  const raw = (typeof r.raw === 'string' ? { expected: r.raw } : r.raw) as Record<string, unknown> | null;
  const expected = raw?.expected;
  const skip = (reason: string): SkippedPrhRule => ({ file: r.file, index: r.index, expected: typeof expected === 'string' ? expected : '', reason });
  if (typeof raw !== 'object' || raw === null) return skip('ルールはオブジェクトか文字列です');
  if (typeof expected !== 'string') return skip('expected（文字列）がありません');
  const wordBoundary = (raw.options as { wordBoundary?: unknown } | undefined)?.wordBoundary === true;
  const given = raw.pattern ?? raw.patterns;
  const sources: unknown[] = given === undefined || given === null ? [] : Array.isArray(given) ? given : [given];
  if (sources.some((p) => typeof p !== 'string' || p === '')) return skip('pattern は空でない文字列か、その配列です');

  const regexes: string[] = [];
  const except: string[] = [];
  const mustEmpty = raw.regexpMustEmpty;
  if (mustEmpty !== undefined && (typeof mustEmpty !== 'string' || !/^\$\d+$/.test(mustEmpty))) return skip('regexpMustEmpty は $1 の形式です');
  if (sources.length === 0) {
    if (expected === '') return skip('expected が空で pattern もありません');
    regexes.push(withBoundary(spreadAlphaNum(expected), wordBoundary));
  }
  for (const source of sources as string[]) {
    const literal = REGEX_LITERAL.exec(source);
    if (!literal) {
      regexes.push(withBoundary(escapeRegex(source), wordBoundary));
      continue;
    }
    const [, body, flags] = literal as unknown as [string, string, string];
    const translated = translate(body!, typeof mustEmpty === 'string' ? Number(mustEmpty.slice(1)) : undefined, expected);
    if ('reason' in translated) return skip(`pattern ${source}: ${translated.reason}`);
    const inline = [...new Set(flags!.split('').filter((f) => 'ims'.includes(f)))].join('');
    regexes.push((inline ? `(?${inline})` : '') + withBoundary(translated.regex, wordBoundary));
    except.push(...translated.except);
  }
  for (const [i, re] of regexes.entries()) {
    try {
      compileRegex(re, `regex[${i}]`);
    } catch (error) {
      if (error instanceof MatcherCompileError) return skip(`RE2 で使えない正規表現です（${re}）`);
      throw error;
    }
  }
  const specs = Array.isArray(raw.specs) ? (raw.specs as { from?: unknown; to?: unknown }[]) : [];
  if (specs.some((s) => typeof s?.from !== 'string' || typeof s?.to !== 'string' || s.from === '')) return skip('specs の各項目には from と to（文字列）が必要です');
  const flag = specs.filter((s) => s.from !== s.to).map((s) => ({ draft: s.from as string, fixed: s.to as string }));
  const pass = specs.filter((s) => s.from === s.to).map((s) => s.from as string);
  const explanation = typeof raw.prh === 'string' ? raw.prh : undefined;
  const usesGroups = /\$\d/.test(expected);
  return {
    rule: {
      id: ruleId(r, expected),
      kind: 'substitution',
      category: options.category ?? 'house-style',
      severity: options.severity ?? 'warning',
      message: usesGroups || expected === '' ? '「{match}」は表記ルールに合いません。' : `「{match}」は「${expected}」と書きます。`,
      ...(explanation ? { description: explanation } : {}),
      regex: regexes.length === 1 ? regexes[0] : regexes,
      ...(except.length > 0 ? { except } : {}),
      replace: [expected],
      ...(flag.length + pass.length > 0 ? { examples: { ...(flag.length ? { flag } : {}), ...(pass.length ? { pass } : {}) } } : {}),
    },
  };
}

/**
 * Makes a prh /regex/ body RE2-compatible. Handles the two idioms prh dictionaries use instead of lookbehind:
 * `LITERAL(?!A|B)` and `(P)?LITERAL` with regexpMustEmpty $1. Anything else that RE2 rejects is reported.
 */
function translate(body: string, mustEmpty: number | undefined, expected: string): { regex: string; except: string[] } | { reason: string } {
  // JavaScript spellings RE2 writes differently.
  let regex = body.replace(/\\u\{?([0-9a-fA-F]{4,6})\}?/g, '\\x{$1}').replace(/\(\?<([A-Za-z_]\w*)>/g, '(?P<$1>');
  const except: string[] = [];
  const lookahead = /^((?:[^\\()[\]{}.*+?^$|]|\\.)+)\(\?!((?:[^\\()[\]{}.*+?^$]|\\.)+)\)$/.exec(regex);
  if (lookahead) {
    const literal = unescapeRegex(lookahead[1]!);
    regex = lookahead[1]!;
    except.push(...lookahead[2]!.split('|').map((a) => literal + unescapeRegex(a)));
  }
  const lookbehind = /^\(\?<!((?:[^\\()[\]{}.*+?^$]|\\.)+)\)((?:[^\\()[\]{}.*+?^$|]|\\.)+)$/.exec(regex);
  if (lookbehind) {
    const literal = unescapeRegex(lookbehind[2]!);
    regex = lookbehind[2]!;
    except.push(...lookbehind[1]!.split('|').map((b) => unescapeRegex(b) + literal));
  }
  if (mustEmpty !== undefined) {
    const prefix = /^\(((?:[^\\()[\]{}.*+?^$]|\\.)+)\)\?((?:[^\\()[\]{}.*+?^$|]|\\.)+)$/.exec(regex);
    if (mustEmpty !== 1 || !prefix || /\$\d/.test(expected)) return { reason: 'regexpMustEmpty はこの形の正規表現では変換できません（(前置き)?語 の形のみ対応）' };
    const literal = unescapeRegex(prefix[2]!);
    regex = prefix[2]!;
    except.push(...prefix[1]!.split('|').map((p) => unescapeRegex(p) + literal));
  }
  try {
    compileRegex(regex, 'regex');
  } catch {
    const why = /\(\?<?[!=]/.test(regex) ? '先読み・後読みは RE2 で使えません'
      : /\\[1-9]/.test(regex) ? '後方参照は RE2 で使えません'
      : 'RE2 の文法で解釈できません';
    return { reason: why };
  }
  return { regex, except };
}

async function keepRulesWhoseSpecsHold(
  pack: Record<string, unknown>,
  sources: RawRule[],
  rules: Record<string, unknown>[],
  skipped: SkippedPrhRule[],
): Promise<Record<string, unknown>[]> {
  const loaded = await loadPackData(pack, { file: 'prh', runExamples: false });
  if (!loaded.ok) {
    // Every rule was validated on its own; a failure here is a bug in the converter, not in the dictionary.
    throw new Error(`変換したパックが不正です: ${loaded.errors.map((e: PackError) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  const kept: Record<string, unknown>[] = [];
  loaded.pack.rules.forEach((rule, i) => {
    const data = rules[i]!;
    const engine = createEngine({ packs: [{ ...loaded.pack, rules: [{ ...rule, enabled: true }] }] });
    const failures: string[] = [];
    const flag = rule.examples.flag.map((example) => {
      const findings = engine.analyze({ draft: example.draft }).findings;
      // prh applies every replacement in a spec; kizuki's `fixed` checks the first finding only.
      const all = applyAll(example.draft, findings);
      if (all !== example.fixed) failures.push(`「${example.draft}」→ 期待「${example.fixed}」、変換後のルールでは「${all}」`);
      return findings.length > 1 ? { draft: example.draft } : example;
    });
    for (const draft of rule.examples.pass.map((e) => e.draft)) {
      if (engine.analyze({ draft }).findings.length > 0) failures.push(`「${draft}」は変化しないはずが指摘されます`);
    }
    const source = sources[i]!;
    if (failures.length > 0) {
      skipped.push({
        file: source.file,
        index: source.index,
        expected: String((data.replace as string[])[0]),
        reason: `specs が成り立ちません: ${failures.join(' / ')}`,
      });
      return;
    }
    kept.push(data.examples ? { ...data, examples: { ...(data.examples as object), ...(flag.length ? { flag } : {}) } } : data);
  });
  return kept;
}

/** prh applies every replacement of a spec: each finding's first suggestion, last first so offsets stay valid. */
function applyAll(draft: string, findings: Finding[]): string {
  let out = draft;
  for (const f of [...findings].sort((a, b) => (b.start ?? 0) - (a.start ?? 0))) {
    const edit = f.suggestions[0] && suggestionEdit(out, f, f.suggestions[0]);
    if (edit) out = applyEdit(out, edit);
  }
  return out;
}

function ruleId(r: RawRule, expected: string): string {
  return [slug(basename(r.file).replace(/\.[^.]*$/, '')) || 'prh', String(r.index + 1).padStart(3, '0'), slug(expected).slice(0, 24)].filter(Boolean).join('-');
}

/** An id made of `text`: lower-case ASCII letters and digits joined by '-' (empty when there are none). */
export function slug(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function spreadAlphaNum(text: string): string {
  let out = '';
  for (const ch of text) {
    const i = HALF.indexOf(ch);
    if (i < 0) {
      out += escapeRegex(ch);
      continue;
    }
    const lower = i < 26 ? i : i < 52 ? i - 26 : i;
    const upper = i < 52 ? lower + 26 : i;
    out += i >= 52 ? `[${HALF[i]}${FULL[i]}]` : `[${HALF[upper]}${HALF[lower]}${FULL[upper]}${FULL[lower]}]`;
  }
  return out;
}

function withBoundary(regex: string, wordBoundary: boolean): string {
  return wordBoundary ? `\\b(?:${regex})\\b` : regex;
}

function unescapeRegex(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** POSIX-style resolution of an import path against the importing file (no Node `path` here: pure module). */
export function resolveRelative(from: string, target: string): string {
  if (target.startsWith('/')) return target;
  const parts = from.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/') || '.';
}
