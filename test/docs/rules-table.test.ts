// README.md and docs/builtin-pack.md show, per built-in rule, what one click does. This parses their tables and checks
// every row against the pack: the flagged span, and the rewrite exactly as applySuggestion leaves the example.
// `npm run docs` (KIZUKI_WRITE_DOCS=1) rewrites both tables from the pack (keeping hand-written cells of
// rules without suggestions).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySuggestion } from '../../src/engine/index';
import { projectRoot } from '../../src/node/packs';
import { builtinEngine, builtinPack } from '../helpers';
import { NO_FIX, firstFinding, flaggedCell, plainRewrite, renderRow, rewriteCell, tableRows } from './rules-table';

const docs = ['README.md', 'docs/builtin-pack.md'];

describe.each(docs)('the rule table of %s', (doc) => {
  const file = path.join(projectRoot, doc);

  it('has one row per built-in rule, in pack order, each showing what its first suggestion does', async () => {
    const engine = await builtinEngine();
    const pack = await builtinPack();
    let markdown = readFileSync(file, 'utf8');
    if (process.env.KIZUKI_WRITE_DOCS) {
      const { start, end, rows } = tableRows(markdown);
      const hand = new Map(rows.map((r) => [r.cells[1]!.replace(/`/g, ''), r.cells[4]!.replace(NO_FIX, '')]));
      const all = markdown.split('\n');
      all.splice(start, end - start, ...pack.rules.map((rule) => renderRow(engine, rule, hand.get(rule.id))));
      const written = all.join('\n');
      // Only when it changes: `npm run docs` leaves the tree untouched when nothing did.
      if (written !== markdown) writeFileSync(file, written);
      markdown = written;
    }
    const { rows } = tableRows(markdown);
    expect(rows.map((r) => r.cells[1])).toEqual(pack.rules.map((r) => `\`${r.id}\``));
    for (const row of rows) {
      const rule = pack.rules.find((r) => `\`${r.id}\`` === row.cells[1])!;
      const where = `${doc}:${row.line} ${rule.id}`;
      expect(row.cells.slice(0, 3), where).toEqual([`\`${rule.category}\``, `\`${rule.id}\``, rule.severity]);
      expect(row.cells[3], where).toBe(flaggedCell(engine, rule));
      const rewrite = row.cells[4]!;
      const { example, finding } = firstFinding(engine, rule);
      if (finding.suggestions.length === 0) {
        expect(rewrite.startsWith(NO_FIX), where).toBe(true);
        continue;
      }
      // Exactly the text one click leaves, and the markup exactly where the edit and its selection are.
      expect(plainRewrite(rewrite), where).toBe(applySuggestion(example.draft, finding, finding.suggestions[0]!)!.text);
      expect(rewrite, where).toBe(rewriteCell(engine, rule));
    }
  });
});
