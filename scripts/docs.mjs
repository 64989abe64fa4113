// `npm run docs`: regenerates what the documents show from what the code does, and writes a file only when its text
// changes (so a run with nothing new leaves the tree as it was):
// - the CLI transcripts in docs/cli.md, docs/builtin-pack.md and README.md (test/docs/cli-session.ts, the real CLI on docs/examples/);
// - the built-in rule tables in README.md and docs/builtin-pack.md (test/docs/rules-table.ts);
// - the evaluation figures in README.md and docs/builtin-pack.md (test/docs/eval-report.test.ts);
// - rules/pack.schema.json (build.mjs, from src/engine/pack-schema.ts).
// The same tests, run by `npm test` without KIZUKI_WRITE_DOCS, fail when a document is out of date.
// Screenshots are separate: `npm run docs:screenshots` (needs Chromium).
import { startVitest } from 'vitest/node';
import { writePackSchema } from '../build.mjs';

await writePackSchema();
process.env.KIZUKI_WRITE_DOCS = '1';
const vitest = await startVitest('test', ['test/docs/'], { run: true, watch: false, project: ['unit'] });
await vitest?.close();
const failed = !vitest || vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
process.exit(failed ? 1 : 0);
