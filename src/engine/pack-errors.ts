// How a pack error reads, and how large a pack may be: in a module of their own (no YAML parser, no regex engine), so
// the service worker can word a subscription's refusal without loading the engine (src/background/index.ts).
import type { PackError } from './model';

/** Formats a pack error the way the CLI and the options page show it. */
export function formatPackError(e: PackError): string {
  const where = [e.file + (e.line ? `:${e.line}` : ''), e.rule ? `ルール ${e.rule}` : '', e.path ?? '']
    .filter(Boolean)
    .join(' ');
  return `${where}: ${e.message}${e.example !== undefined ? `\n    例: ${JSON.stringify(e.example)}` : ''}`;
}

export const MAX_PACK_BYTES = 1_000_000;
