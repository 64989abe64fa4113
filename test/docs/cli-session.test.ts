// docs/cli.md and the README's CLI block are transcripts of the real CLI on docs/examples/ (test/docs/cli-session.ts).
// This fails when they differ from what the code prints now; `npm run docs` rewrites them (KIZUKI_WRITE_DOCS=1).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/node/packs';
import { withSessions } from './cli-session';

describe.each(['README.md', 'docs/cli.md', 'docs/builtin-pack.md'])('the CLI transcripts in %s', (doc) => {
  it('are exactly what the CLI prints on docs/examples/ (run `npm run docs` after changing the CLI)', async () => {
    const file = path.join(projectRoot, doc);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toContain('<!-- cli-session:');
    const expected = await withSessions(markdown);
    if (process.env.KIZUKI_WRITE_DOCS && expected !== markdown) writeFileSync(file, expected);
    else expect(markdown).toBe(expected);
  });
});
