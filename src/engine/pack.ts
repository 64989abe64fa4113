// Loading a rule pack: parse (YAML or JSON), validate against the schema, compile every matcher, then run
// every rule's examples. A pack that fails any step is refused whole, with errors naming the file, rule,
// field path and line; packs already loaded are unaffected because loading never mutates shared state.
import { packSchema } from './pack-schema';
import { validateSchema, formatPath, type Path } from './schema';
import { Matcher, MatcherCompileError, type MatcherSpec } from './matcher';
import type { Suggestion } from './types';
import type { Tokenizer } from './tokenizer';
import { runExamples } from './examples';
import { LIMITS } from './limits';
import { MAX_PACK_BYTES } from './pack-errors';

export type { RuleKind, Example, When, CompiledRule, PackOverride, CompiledSignal, LoadedPack, PackError, PackResult } from './model';
import type { RuleKind, Example, When, CompiledRule, PackOverride, CompiledSignal, LoadedPack, PackError, PackResult } from './model';

export interface LoadOptions {
  file: string;
  /** Needed to run examples of token-based rules; without it those examples are not run. */
  tokenizer?: Tokenizer | null;
  /** Run the examples (default true). The extension skips them for packs already tested at build time. */
  runExamples?: boolean;
  /** Signals from packs loaded earlier, which this pack's requirement rules may refer to. */
  baseSignals?: CompiledSignal[];
  /**
   * The pack was validated when it was built (the extension's built-in pack, parsed and tested at build time): its
   * schema is not checked again, and its regexes are compiled when first needed.
   */
  trusted?: boolean;
}

/** Real packs nest about 7 levels (rules → pattern → token → not → field → list); 32 leaves room and stops abuse. */
export const MAX_PACK_DEPTH = 32;

export async function loadPackData(
  data: unknown,
  options: LoadOptions,
  lineOf: (path: Path) => number | undefined = () => undefined,
): Promise<PackResult> {
  const file = options.file;
  const raw = data as Record<string, any>;
  const ruleIdAt = (path: Path): string | undefined =>
    path[0] === 'rules' && typeof path[1] === 'number' ? raw?.rules?.[path[1]]?.id : undefined;

  const schemaErrors = options.trusted ? [] : validateSchema(data, packSchema);
  if (schemaErrors.length > 0) {
    return {
      ok: false,
      errors: schemaErrors.map((e) => ({
        file,
        rule: ruleIdAt(e.path),
        path: formatPath(e.path),
        line: lineOf(e.path),
        message: e.message,
      })),
    };
  }

  const errors: PackError[] = [];
  const fail = (path: Path, message: string) =>
    errors.push({ file, rule: ruleIdAt(path), path: formatPath(path), line: lineOf(path), message });
  const compile = (spec: MatcherSpec, path: Path): Matcher | undefined => {
    try {
      return new Matcher(spec, { trusted: options.trusted === true });
    } catch (error) {
      if (error instanceof MatcherCompileError) fail([...path, ...error.field.split(/[[\].]/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p))], error.message);
      else throw error;
      return undefined;
    }
  };
  /** A list of matchers at `path` (require, then, …), each compiled; those that fail are reported and left out. */
  const compileAll = (specs: MatcherSpec[], path: Path): Matcher[] =>
    specs.map((m, j) => compile(m, [...path, j])).filter((m): m is Matcher => !!m);

  // Templates are expanded for every finding: refuse at load time what could only be cut at run time.
  const checkTemplate = (text: string, path: Path, references: RegExp, what: string) => {
    if (text.length > LIMITS.maxTemplateChars) {
      fail(path, `長すぎます（${text.length.toLocaleString('en')} 文字、上限 ${LIMITS.maxTemplateChars.toLocaleString('en')} 文字）`);
      return;
    }
    const count = text.match(references)?.length ?? 0;
    if (count > LIMITS.maxTemplateReferences) fail(path, `${what}が多すぎます（${count} 個、上限 ${LIMITS.maxTemplateReferences} 個）`);
  };
  const PLACEHOLDERS = /\{\w+\}/g;
  const checkSuggestions = (list: (string | Suggestion)[] | undefined, path: Path, references: RegExp, what: string) =>
    (list ?? []).forEach((item, j) =>
      checkTemplate(typeof item === 'string' ? item : item.text, typeof item === 'string' ? [...path, j] : [...path, j, 'text'], references, what));

  const signals: CompiledSignal[] = [];
  const signalAt = new Map<string, number>();
  (raw.signals ?? []).forEach((s: any, i: number) => {
    const { id, label, capture, unless, ...spec } = s;
    if (signalAt.has(id)) fail(['signals', i, 'id'], `シグナル ID「${id}」が重複しています（signals[${signalAt.get(id)}] と同じ）`);
    signalAt.set(id, i);
    const matcher = compile(spec, ['signals', i]);
    if (matcher) signals.push({ pack: raw.id, id, label, capture: capture === true, unless: Array.isArray(unless) ? unless : [], matcher });
  });
  const knownSignals = new Set([...(options.baseSignals ?? []).map((s) => s.id), ...signals.map((s) => s.id)]);
  /** Whether `id` names a signal of this pack or an earlier one; reported at `path` when it does not. */
  const knownSignal = (id: string, path: Path): boolean => {
    if (knownSignals.has(id)) return true;
    fail(path, `シグナル「${id}」が定義されていません（signals に追加してください）`);
    return false;
  };
  (raw.signals ?? []).forEach((s: any, i: number) => {
    (Array.isArray(s.unless) ? s.unless : []).forEach((other: string, j: number) => {
      if (!knownSignal(other, ['signals', i, 'unless', j])) return;
      if (other === s.id) fail(['signals', i, 'unless', j], 'シグナル自身を unless に指定することはできません');
    });
  });

  const seen = new Map<string, number>();
  const rules: CompiledRule[] = [];
  (raw.rules as any[] | undefined ?? []).forEach((r, i) => {
    const path: Path = ['rules', i];
    if (seen.has(r.id)) fail([...path, 'id'], `ルール ID「${r.id}」が重複しています（rules[${seen.get(r.id)}] と同じ）`);
    seen.set(r.id, i);
    checkTemplate(r.message, [...path, 'message'], PLACEHOLDERS, '{…} の置き換え');
    if (typeof r.description === 'string') checkTemplate(r.description, [...path, 'description'], PLACEHOLDERS, '{…} の置き換え');
    checkSuggestions(r.suggestions, [...path, 'suggestions'], PLACEHOLDERS, '{…} の置き換え');
    if (r.kind === 'substitution') checkSuggestions(r.replace, [...path, 'replace'], /\$\d/g, '$0〜$9 の参照');
    const rule: CompiledRule = {
      pack: raw.id,
      id: r.id,
      kind: r.kind,
      category: r.category,
      severity: r.severity,
      message: r.message,
      description: r.description,
      link: r.link,
      enabled: r.enabled !== false,
      ...(r.fix === 'safe' ? { fix: 'safe' as const } : {}),
      line: lineOf(path),
      suggestions: (r.suggestions ?? []).map(toSuggestion),
      once: r.once === true,
      minOccurrences: r.minOccurrences ?? 1,
      examples: {
        flag: (r.examples?.flag ?? []).map(toExample),
        pass: (r.examples?.pass ?? []).map(toExample),
      },
    };
    if (r.kind === 'phrase' || r.kind === 'morpheme' || r.kind === 'substitution') {
      const { phrases, regex, pattern, negated, notFollowedBy, notPrecededBy, except, exceptInSentence, exceptWithin } = r;
      if (r.kind === 'phrase' && pattern) fail([...path, 'pattern'], 'phrase ルールでは pattern は使えません（morpheme を使ってください）');
      if (r.kind === 'morpheme' && (phrases || regex)) fail([...path, phrases ? 'phrases' : 'regex'], 'morpheme ルールは pattern だけを使います');
      if (r.kind === 'morpheme' && negated) fail([...path, 'negated'], 'morpheme ルールは pattern だけを使います');
      rule.matcher = compile({ phrases, regex, pattern, negated, notFollowedBy, notPrecededBy, except, exceptInSentence, exceptWithin }, path);
      if (r.kind === 'substitution') rule.replace = r.replace.map(toSuggestion);
    } else if (r.kind === 'requirement') {
      rule.label = r.label;
      rule.when = r.when;
      rule.withoutCustomer = r.withoutCustomer ?? (r.when === 'always' ? 'required' : 'not-required');
      if (r.creditWhenPresent) rule.creditWhenPresent = true;
      rule.require = compileAll(r.require, [...path, 'require']);
      if (r.answered) {
        (r.answered.questions as string[]).forEach((id, j) => knownSignal(id, [...path, 'answered', 'questions', j]));
        rule.answered = { questions: r.answered.questions, answers: compileAll(r.answered.answers, [...path, 'answered', 'answers']) };
      }
      if (r.when !== 'always') {
        for (const key of ['any', 'all', 'none'] as const) {
          (r.when[key] ?? []).forEach((id: string, j: number) => knownSignal(id, [...path, 'when', key, j]));
        }
      }
    } else if (r.kind === 'conditional') {
      if (!r.then === !r.notWith) fail([...path, 'then'], 'then か notWith のどちらか一方が必要です');
      rule.matcher = compile(r.if, [...path, 'if']);
      if (r.then) rule.then = compileAll(r.then, [...path, 'then']);
      if (r.notWith) rule.notWith = compileAll(r.notWith, [...path, 'notWith']);
    }
    rules.push(rule);
  });
  (raw.overrides ?? []).forEach((o: { message?: string; description?: string }, i: number) => {
    if (o.message !== undefined) checkTemplate(o.message, ['overrides', i, 'message'], PLACEHOLDERS, '{…} の置き換え');
    if (o.description !== undefined) checkTemplate(o.description, ['overrides', i, 'description'], PLACEHOLDERS, '{…} の置き換え');
  });
  if (errors.length > 0) return { ok: false, errors };

  const pack: LoadedPack = {
    id: raw.id,
    name: raw.name,
    version: raw.version,
    description: raw.description,
    ...(raw.sendCheck !== undefined ? { sendCheck: raw.sendCheck } : {}),
    file,
    rules,
    signals,
    overrides: (raw.overrides ?? []).map((o: Omit<PackOverride, 'index' | 'line'>, index: number) => ({
      ...o,
      index,
      line: lineOf(['overrides', index]),
    })),
  };
  if (options.runExamples !== false) {
    const failures = runExamples(pack, { tokenizer: options.tokenizer ?? null, baseSignals: options.baseSignals ?? [] });
    const failed = failures.filter((f) => !f.passed);
    if (failed.length > 0) {
      return {
        ok: false,
        errors: failed.map((f) => {
          const index = rules.findIndex((r) => r.id === f.rule);
          return {
            file,
            rule: f.rule,
            path: `rules[${index}].examples.${f.kind}[${f.index}]`,
            line: lineOf(['rules', index, 'examples', f.kind, f.index]),
            message: f.message,
            example: f.example.draft,
          };
        }),
      };
    }
  }
  return { ok: true, pack };
}

function toSuggestion(s: string | Suggestion): Suggestion {
  return typeof s === 'string'
    ? { text: s }
    : { text: s.text, ...(s.label ? { label: s.label } : {}), ...(s.insert ? { insert: s.insert } : {}) };
}

function toExample(e: string | Example): Example {
  return typeof e === 'string' ? { draft: e } : e;
}
