// The evaluation figures shown in README.md and docs/builtin-pack.md (`<!-- eval-report -->` blocks) are what the
// built-in pack scores now on the corpus and the blind set. `npm run docs` rewrites them (KIZUKI_WRITE_DOCS=1).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/node/packs';
import { formatScores, scoreCorpora } from '../../src/node/eval-report';
import { builtinEngine } from '../helpers';

const START = '<!-- eval-report -->\n';
const END = '<!-- /eval-report -->';

describe.each(['README.md', 'docs/builtin-pack.md'])('the evaluation figures in %s', (doc) => {
  it('are what `npm run eval` prints now (run `npm run docs` after changing the pack or the corpus)', async () => {
    const file = path.join(projectRoot, doc);
    const markdown = readFileSync(file, 'utf8');
    const start = markdown.indexOf(START);
    const end = markdown.indexOf(END, start);
    expect(start, `${doc} has an eval-report block`).toBeGreaterThanOrEqual(0);
    const block = '```console\n$ npm run eval\n' + formatScores(scoreCorpora(await builtinEngine())) + '\n…\n```\n';
    const expected = markdown.slice(0, start + START.length) + block + markdown.slice(end);
    if (process.env.KIZUKI_WRITE_DOCS && expected !== markdown) writeFileSync(file, expected);
    else expect(markdown).toBe(expected);
  });
});
