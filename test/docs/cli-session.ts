// The CLI sessions shown in docs/cli.md and README.md, run for real (the CLI's main(), in this process, in
// docs/examples/) on the sample files kept there. test/docs/cli-session.test.ts fails when a document differs from what the code prints;
// `npm run docs` writes them.
import path from 'node:path';
import { main } from '../../src/cli/main';
import { projectRoot } from '../../src/node/packs';

export const examplesDir = path.join(projectRoot, 'docs', 'examples');

export interface Command {
  /** What the reader types in docs/examples/ (shown after `$ `). */
  shown: string;
  argv: string[];
  stdin?: string;
  /** A folder under docs/examples/ to run in (default: docs/examples/ itself). */
  dir?: string;
}

/** A named block of commands: `<!-- cli-session:NAME -->` … `<!-- /cli-session -->` in a document. */
export const SESSIONS: Record<string, Command[]> = {
  help: [{ shown: 'npx kizuki --help', argv: ['--help'] }],
  readme: [{ shown: 'npx kizuki check --customer customer.txt reply.txt', argv: ['check', '--customer', 'customer.txt', 'reply.txt'] }],
  check: [
    { shown: 'npx kizuki check --customer customer.txt reply.txt', argv: ['check', '--customer', 'customer.txt', 'reply.txt'] },
    { shown: 'echo "承知いたしました。" | npx kizuki check --format json', argv: ['check', '--format', 'json'], stdin: '承知いたしました。\n' },
    { shown: 'npx kizuki check --batch replies.jsonl', argv: ['check', '--batch', 'replies.jsonl'] },
  ],
  'pack-test': [
    { shown: 'npx kizuki pack test team-draft.yaml', argv: ['pack', 'test', 'team-draft.yaml'] },
  ],
  'pack-fixed': [
    { shown: 'npx kizuki pack test team.yaml', argv: ['pack', 'test', 'team.yaml'] },
    { shown: 'npx kizuki pack lint --on-builtin team.yaml', argv: ['pack', 'lint', '--on-builtin', 'team.yaml'] },
    { shown: 'echo "SKUをお知らせ下さい。" | npx kizuki check --pack team.yaml', argv: ['check', '--pack', 'team.yaml'], stdin: 'SKUをお知らせ下さい。\n' },
  ],
  fix: [
    { shown: 'npx kizuki check --pack team.yaml --fix-dry-run reply-team.txt', argv: ['check', '--pack', 'team.yaml', '--fix-dry-run', 'reply-team.txt'] },
  ],
  complaint: [{ shown: 'npx kizuki check --customer complaint.txt reply.txt', argv: ['check', '--customer', 'complaint.txt', 'reply.txt'], dir: 'complaint' }],
  'complaint-fixed': [
    { shown: 'npx kizuki check --customer complaint.txt reply-fixed.txt', argv: ['check', '--customer', 'complaint.txt', 'reply-fixed.txt'], dir: 'complaint' },
  ],
  templates: [{ shown: 'npx kizuki check --templates templates/', argv: ['check', '--templates', 'templates/'] }],
  errors: [
    { shown: 'npx kizuki check --pack broken.yaml reply.txt', argv: ['check', '--pack', 'broken.yaml', 'reply.txt'] },
    { shown: 'npx kizuki check image.png', argv: ['check', 'image.png'] },
  ],
};

/** Runs one command as the reader would in docs/examples/: stdout and stderr interleaved as a terminal shows them. */
export async function runCommand(command: Command): Promise<string> {
  let out = '';
  // Run where the reader types, so every path and column is what they see (vitest runs test files in forks).
  const cwd = process.cwd();
  process.chdir(path.join(examplesDir, command.dir ?? ''));
  let code: number;
  try {
    code = await main(command.argv, {
      stdout: (t) => void (out += t),
      stderr: (t) => void (out += t),
      readStdin: async () => new TextEncoder().encode(command.stdin ?? ''),
      isTTY: false,
      language: 'ja',
    });
  } finally {
    process.chdir(cwd);
  }
  return `$ ${command.shown}\n${out.replace(/\n*$/, '\n')}${command.argv[0] === '--help' ? '' : `(exit ${code})\n`}`;
}

export async function renderSession(name: string): Promise<string> {
  const parts: string[] = [];
  for (const command of SESSIONS[name]!) parts.push(await runCommand(command));
  return '```console\n' + parts.join('\n') + '```';
}

const START = /<!-- cli-session:([a-z-]+) -->\n/g;
const END = '<!-- /cli-session -->';

/** The document with every marked session replaced by what the CLI prints now. */
export async function withSessions(markdown: string): Promise<string> {
  let out = '';
  let at = 0;
  for (const match of markdown.matchAll(START)) {
    const bodyStart = match.index! + match[0].length;
    const end = markdown.indexOf(END, bodyStart);
    if (end < 0) throw new Error(`cli-session:${match[1]} has no ${END}`);
    if (!SESSIONS[match[1]!]) throw new Error(`unknown cli-session:${match[1]}`);
    out += markdown.slice(at, bodyStart) + (await renderSession(match[1]!)) + '\n';
    at = end;
  }
  return out + markdown.slice(at);
}
