// `kizuki`: check replies and test rule packs from a terminal. This file only dispatches.
// Exit codes: 0 no error finding / all examples pass; 1 an error finding / a failing example; 2 usage, I/O or pack errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../node/packs';
import { UsageError } from './args';
import { check } from './check';
import { ExitError, processIo, type Io } from './io';
import { packImportPrh, packLint, packTest } from './pack-commands';
import { statsCommand } from './stats-command';
import { usage } from './usage';

export type { Io } from './io';

/** The installed package's version (package.json ships with it: dist/node/ is two levels below). */
export function version(): string {
  return (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'check') return await check(rest, io);
    if (command === 'pack' && rest[0] === 'test') return await packTest(rest.slice(1), io);
    if (command === 'pack' && rest[0] === 'lint') return await packLint(rest.slice(1), io);
    if (command === 'pack' && rest[0] === 'import-prh') return await packImportPrh(rest.slice(1), io);
    if (command === 'stats') return await statsCommand(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(usage(io.language) + '\n');
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(version() + '\n');
      return 0;
    }
    throw new UsageError(command ? `不明なコマンドです: ${[command, rest[0]].filter(Boolean).join(' ')}` : 'コマンドを指定してください');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`kizuki: ${error.message}\n\n${usage(io.language)}\n`);
      return 2;
    }
    if (error instanceof ExitError) {
      io.stderr(`kizuki: ${error.message}\n`);
      return error.code;
    }
    io.stderr(`kizuki: ${(error as Error).message ?? String(error)}\n`);
    return 2;
  }
}
