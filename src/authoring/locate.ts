// Where in the pack file each load error is: line and column (1-based), for the options page's editor and the
// QA lead reading the list. The loader reports lines and field paths (`rules[2].pattern[0].pos`); this reads the
// YAML again and walks the path to the node to find its column. Pure; the text is data, never executed.
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { PackError } from '../engine/pack';

export interface LocatedError extends PackError {
  column?: number;
}

/** `rules[2].pattern[0].pos` → ['rules', 2, 'pattern', 0, 'pos']. */
/** The YAML parser's error codes, in Japanese (its own messages are English; they are kept in brackets). */
const YAML_ERRORS: Record<string, string> = {
  BAD_INDENT: '字下げ（インデント）が揃っていません',
  TAB_AS_INDENT: '字下げにタブは使えません。スペースを使ってください',
  MISSING_CHAR: '閉じる記号（] } " など）が足りません',
  MULTILINE_IMPLICIT_KEY: 'キーは 1 行で書きます（「:」の後にスペースが必要かもしれません）',
  BLOCK_AS_IMPLICIT_KEY: 'キーと値の区切り（「: 」）か字下げが正しくありません',
  DUPLICATE_KEY: '同じキーが 2 回あります',
  UNEXPECTED_TOKEN: 'ここに置けない記号があります',
  BAD_SCALAR_START: 'この文字から値を始められません。引用符（\'…\'）で囲んでください',
  BAD_DIRECTIVE: '不明な指示（% で始まる行）があります',
  MULTIPLE_DOCS: '1 つのファイルにパックは 1 つだけです（--- が複数あります）',
  BAD_ALIAS: 'エイリアス（*名前）が正しくありません',
  BAD_COLLECTION_TYPE: '配列と対応表の書き方が混ざっています',
  UNEXPECTED_TOKEN_END: 'ファイルが途中で終わっています',
};

export function parseFieldPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

export function locatePackErrors(text: string, errors: readonly PackError[]): LocatedError[] {
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  } catch {
    doc = undefined;
  }
  const syntax = doc?.errors ?? [];
  const lineStart = (line: number): number => lineCounter.lineStarts[line - 1] ?? 0;
  /** First non-blank column of a line (1-based). */
  const firstColumn = (line: number): number => {
    const start = lineStart(line);
    let i = start;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    return i - start + 1;
  };
  const nodeAt = (parts: (string | number)[]): { line: number; col: number } | undefined => {
    let node: unknown = doc?.contents;
    let best: { line: number; col: number } | undefined;
    const pos = (n: unknown) => {
      const range = (n as YamlNode | null | undefined)?.range;
      return range ? lineCounter.linePos(range[0]) : undefined;
    };
    for (const part of parts) {
      best = pos(node) ?? best;
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
        if (!pair) return best;
        best = pos(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') node = node.items[part];
      else return best;
    }
    return pos(node) ?? best;
  };
  const keyAt = (parts: (string | number)[]): { line: number; col: number } | undefined => {
    const parent = nodeAt(parts.slice(0, -1));
    let node: unknown = doc?.contents;
    for (const part of parts.slice(0, -1)) {
      if (isMap(node)) node = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part)?.value;
      else if (isSeq(node) && typeof part === 'number') node = node.items[part];
    }
    const pair = isMap(node) ? node.items.find((p) => (p.key as { value?: unknown } | null)?.value === parts.at(-1)) : undefined;
    const range = (pair?.key as YamlNode | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]) : parent;
  };
  let syntaxIndex = 0;
  return errors.map((e) => {
    // YAML syntax errors: the loader reports the parser's errors in order; the parser knows the exact position.
    if (/^YAML\/JSON として読めません/.test(e.message) && syntax.length > 0) {
      const match = syntax[Math.min(syntaxIndex++, syntax.length - 1)]!;
      const at = match.linePos?.[0];
      const english = match.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const message = `${YAML_ERRORS[match.code] ?? 'YAML の書き方に誤りがあります'}（${english}）`;
      if (at) return { ...e, line: at.line, column: at.col, message };
      return { ...e, message };
    }
    if (e.path && doc && syntax.length === 0) {
      const parts = parseFieldPath(e.path);
      // An unknown field is about its key; any other error about the value.
      const at = /未知のフィールド/.test(e.message) && typeof parts.at(-1) === 'string' ? keyAt(parts) : nodeAt(parts);
      if (at) return { ...e, line: at.line, column: at.col };
    }
    if (e.line) return { ...e, column: firstColumn(e.line) };
    return { ...e };
  });
}

/** One error as a Japanese line for the console: 「12 行 5 列: ルール heisha（rules[0].phrases）: …」. */
export function describeLocatedError(e: LocatedError): string {
  const where = e.line ? `${e.line} 行${e.column ? ` ${e.column} 列` : ''}` : '位置不明';
  const what = [e.rule ? `ルール ${e.rule}` : '', e.path ? `（${e.path}）` : ''].join('');
  return `${where}${what ? `・${what}` : ''}: ${e.message}${e.example !== undefined ? `（例: 「${e.example}」）` : ''}`;
}
