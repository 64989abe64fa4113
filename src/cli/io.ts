// What the commands read and write, so tests run them in-process: the terminal's streams, the language of the help,
// and the error that ends a command with an exit code.
export type Language = 'ja' | 'en';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Uint8Array>;
  isTTY: boolean;
  /** The help's language (default Japanese). */
  language?: Language;
}

/** Japanese unless the locale says another language: LC_ALL, then LC_MESSAGES, then LANG (unset means Japanese). */
export function languageOf(env: Record<string, string | undefined>): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return !locale || /^ja([_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    // Typing a draft into a terminal: say what is awaited, rather than seeming to hang.
    if (process.stdin.isTTY) process.stderr.write('kizuki: 標準入力から下書きを読み込みます（入力の終わりは Ctrl+D）\n');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
  language: languageOf(process.env),
};

/** Ends a command with `code` and a message on stderr (no usage). */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
