// `npm run bench`: prints how fast the engine is on this machine, next to textlint doing comparable work.
// Figures are printed, never asserted (tests must not depend on machine speed).
//
//   node --expose-gc bench/engine.bench.mjs [--pack FILE]... [--quick]
//
// --pack adds packs on top of rules/builtin.yaml; --quick runs fewer iterations (for a smoke run).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { createReplyGenerator } from './texts.mjs';
import { nodeBundleOptions } from '../build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const extraPacks = args.flatMap((a, i) => (args[i - 1] === '--pack' ? [path.resolve(a)] : []));

// The engine is TypeScript: bundle the pieces the bench needs, as the CLI bundle does.
const bundle = path.join(root, 'dist', 'bench', 'engine.js');
await build({
  ...nodeBundleOptions,
  stdin: {
    contents: [
      "export * from './src/engine/index';",
      "export { sharedTokenizer } from './src/node/dictionary';",
      "export { readPackFile, builtinPackPath } from './src/node/packs';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: bundle,
});
const kizuki = await import(pathToFileURL(bundle).href);

const gc = globalThis.gc ?? (() => {});
const ms = (x) => x.toFixed(x < 1 ? 3 : x < 10 ? 2 : 1);
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}
const line = (label, s) => console.log(`  ${label.padEnd(44)} median ${ms(s.median).padStart(7)} ms   p95 ${ms(s.p95).padStart(7)} ms   (n=${s.n})`);

console.log(`kizuki engine benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes share this machine)`);

// 1. Tokenizer ready: dictionary read + gunzip + build, first thing in this process.
let t0 = performance.now();
const tokenizer = await kizuki.sharedTokenizer();
const tokenizerReady = performance.now() - t0;
console.log(`\ntokenizer ready (IPADIC load + build): ${ms(tokenizerReady)} ms`);

// Counts what the engine actually sends to kuromoji, to show how much tokenising the anchors save.
let tokenizedChars = 0;
const countingTokenizer = { tokenize: (text) => ((tokenizedChars += text.length), tokenizer.tokenize(text)) };

const packs = [];
for (const file of [kizuki.builtinPackPath, ...extraPacks]) {
  const result = await kizuki.readPackFile(file, { tokenizer, baseSignals: packs.flatMap((p) => p.signals), runExamples: false });
  if (!result.ok) throw new Error(result.errors.map(kizuki.formatPackError).join('\n'));
  packs.push(result.pack);
}
console.log(`packs: ${packs.map((p) => `${p.id} ${p.version} (${p.rules.length} rules)`).join(', ')}`);

const generator = createReplyGenerator(20261123);
const SIZES = [500, 2000];
const COUNTS = quick ? { warm: 5, engine: 30, textlint: 10, edits: 50 } : { warm: 30, engine: 300, textlint: 60, edits: 300 };
const fresh = Object.fromEntries(SIZES.map((size) => [size, Array.from({ length: COUNTS.engine }, () => generator.reply(size))]));
const warmup = Array.from({ length: COUNTS.warm }, () => generator.reply(2000));

// 2. Engine, fresh texts: every sentence is new to the sentence cache, so this is the cold path.
const engine = kizuki.createEngine({ packs, tokenizer: countingTokenizer });
for (const text of warmup) engine.analyze({ draft: text });
console.log('\nkizuki analyze(), texts never seen before:');
const engineFresh = {};
for (const size of SIZES) {
  gc();
  const samples = [];
  let chars = 0;
  let found = 0;
  tokenizedChars = 0;
  for (const text of fresh[size]) {
    t0 = performance.now();
    const result = engine.analyze({ draft: text });
    samples.push(performance.now() - t0);
    chars += text.length;
    found += result.findings.filter((f) => f.scope === 'span').length;
  }
  engineFresh[size] = stats(samples);
  line(`${size}-char replies (avg ${Math.round(chars / samples.length)} chars)`, engineFresh[size]);
  console.log(`  ${''.padEnd(44)} ${(found / samples.length).toFixed(1)} span findings per reply; kuromoji saw ${((100 * tokenizedChars) / chars).toFixed(0)}% of the characters`);
}

// 3. Engine after a one-character edit: the agent types into a reply already analysed.
console.log('\nkizuki analyze() after a one-character edit (the reply was analysed just before):');
for (const size of SIZES) {
  let text = generator.reply(size);
  engine.analyze({ draft: text });
  gc();
  const samples = [];
  for (let i = 0; i < COUNTS.edits; i++) {
    text = generator.editOneCharacter(text);
    t0 = performance.now();
    engine.analyze({ draft: text });
    samples.push(performance.now() - t0);
  }
  line(`${size}-char reply, one character inserted`, stats(samples));
}

// 4. textlint 15 + textlint-rule-prh (the packs' literal phrases and regexes) + a kuromojin rule (conjunctions),
//    on the same fresh texts. kuromojin's tokenize cache is switched off so no result is reused.
const { createLinter } = await import('textlint');
const { TextlintKernelDescriptor } = await import('@textlint/kernel');
// Both are CommonJS modules compiled from ESM: the module sits under default.default.
const esModule = (m) => m.default?.default ?? m.default;
const textPlugin = esModule(await import('@textlint/textlint-plugin-text'));
const prhRule = esModule(await import('textlint-rule-prh'));
const { tokenize: kuromojinTokenize, getTokenizer: kuromojinReady } = await import('kuromojin');

const CONJUNCTIONS = new Set(['でも', 'ですから', 'だって', 'だから']);
const conjunctionRule = (context) => ({
  async [context.Syntax.Paragraph](node) {
    const text = context.getSource(node);
    const tokens = await kuromojinTokenize(text, { noCacheTokenize: true });
    for (const t of tokens) {
      if (t.pos === '接続詞' && CONJUNCTIONS.has(t.surface_form)) {
        const start = t.word_position - 1;
        context.report(node, new context.RuleError(`「${t.surface_form}」は反論に聞こえます。`, { padding: context.locator.range([start, start + t.surface_form.length]) }));
      }
    }
  },
});

const prh = prhDictionary(await Promise.all([kizuki.builtinPackPath, ...extraPacks].map(async (f) => parseYaml(await readFile(f, 'utf8')))));
const scratch = await mkdtemp(path.join(tmpdir(), 'kizuki-bench-'));
const prhFile = path.join(scratch, 'prh.yml');
await writeFile(prhFile, prh.yaml);
const linter = createLinter({
  descriptor: new TextlintKernelDescriptor({
    rules: [
      { ruleId: 'prh', rule: prhRule, options: { rulePaths: [prhFile] } },
      { ruleId: 'conjunctions', rule: conjunctionRule },
    ],
    plugins: [{ pluginId: 'text', plugin: textPlugin }],
    filterRules: [],
  }),
});
t0 = performance.now();
await kuromojinReady();
const textlintDictionary = performance.now() - t0;
for (const text of warmup) await linter.lintText(text, 'reply.txt');
console.log(`\ntextlint ${(await readJson('node_modules/textlint/package.json')).version} + textlint-rule-prh (${prh.count} pattern${prh.count === 1 ? "" : "s"} from the packs) + kuromojin conjunction rule, same fresh texts:`);
console.log(`  (kuromoji 0.1.2 dictionary load for textlint, excluded below: ${ms(textlintDictionary)} ms)`);
const ratios = [];
for (const size of SIZES) {
  gc();
  const samples = [];
  let found = 0;
  for (const text of fresh[size].slice(0, COUNTS.textlint)) {
    t0 = performance.now();
    const result = await linter.lintText(text, 'reply.txt');
    samples.push(performance.now() - t0);
    found += result.messages.length;
  }
  const s = stats(samples);
  line(`${size}-char replies`, s);
  console.log(`  ${''.padEnd(44)} ${(found / samples.length).toFixed(1)} messages per reply`);
  ratios.push(`${size} chars: kizuki is ${(s.median / engineFresh[size].median).toFixed(1)}× faster (median ${ms(engineFresh[size].median)} vs ${ms(s.median)} ms)`);
}
console.log('\nratio, fresh texts:');
for (const r of ratios) console.log(`  ${r}`);

// 5. The CLI over 1,000 replies of ~300 characters, start-up and dictionary load included.
const batchFile = path.join(scratch, 'replies.jsonl');
await writeFile(batchFile, Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `r${i + 1}`, draft: generator.reply(300) })).join('\n') + '\n');
console.log('\nkizuki check --batch, 1,000 replies of ~300 chars (new process each run, start-up included):');
const runs = [];
for (let run = 0; run < (quick ? 1 : 3); run++) {
  const { seconds, lines } = await timeBatch(batchFile);
  if (lines !== 1000) throw new Error(`--batch printed ${lines} lines for 1,000 replies`);
  runs.push(seconds);
  console.log(`  run ${run + 1}: ${seconds.toFixed(2)} s`);
}
console.log(`  median ${[...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)].toFixed(2)} s`);
console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await rm(scratch, { recursive: true, force: true });

/** A prh dictionary carrying the same literal phrases and regexes as the packs' phrase and substitution rules. */
function prhDictionary(packData) {
  const entries = [];
  for (const rule of packData.flatMap((p) => p.rules ?? [])) {
    if (!['phrase', 'substitution'].includes(rule.kind) || rule.enabled === false) continue;
    const first = (rule.replace ?? rule.suggestions ?? [])[0];
    const expected = (typeof first === 'string' ? first : first?.text) || '（削除）';
    const patterns = [...(rule.phrases ?? [])];
    for (const source of [rule.regex ?? []].flat()) {
      try {
        new RegExp(source, 'u');
        patterns.push(`/${source}/`);
      } catch {
        // RE2-only syntax: prh cannot carry it.
      }
    }
    if (patterns.length > 0) entries.push({ expected, patterns });
  }
  const yaml = ['version: 1', 'rules:', ...entries.flatMap((e) => [
    `  - expected: ${JSON.stringify(e.expected)}`,
    `    patterns: [${e.patterns.map((p) => JSON.stringify(p)).join(', ')}]`,
  ])].join('\n') + '\n';
  return { yaml, count: entries.reduce((n, e) => n + e.patterns.length, 0) };
}

function timeBatch(file) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin', 'kizuki.js'), 'check', '--batch', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', () => resolve({ seconds: (performance.now() - started) / 1000, lines }));
  });
}

async function readJson(file) {
  return JSON.parse(await readFile(path.join(root, file), 'utf8'));
}
