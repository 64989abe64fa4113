// `kizuki --help`: every command in one list, in Japanese by default and in English when the locale is not Japanese.
import type { Language } from './io';

const COMMANDS = `  kizuki check [--customer FILE] [--pack FILE]... [--no-builtin] [--format text|json] [--fix | --fix-dry-run] [FILE|DIR|-]...
  kizuki check --batch FILE.jsonl [--score] [--pack FILE]... [--no-builtin]
  kizuki check --templates [--pack FILE]... [--no-builtin] [--format text|json] DIR|FILE...
  kizuki pack test FILE...
  kizuki pack lint [--on-builtin] [--strict] FILE...
  kizuki pack import-prh FILE.yml [-o OUT.yaml] [--id ID] [--severity error|warning|info]
  kizuki stats report FILE.csv... -o REPORT.html [--pack FILE]... [--no-builtin]
  kizuki --version
  kizuki --help`;

const JA = `使い方:
${COMMANDS}

  check          返信の下書きを確認し、行番号つきで指摘を表示します（FILE を省略するか - で標準入力。
                 フォルダーはその中の .txt / .md を確認）
  --customer     お客様のメッセージのファイル（お詫び・共感などの判断に使います）
  --pack         追加のルールパック（YAML/JSON、複数可、後のものが優先）
  --no-builtin   標準パックを使わない
  --format       text（既定）または json
  --fix          fix: safe のルールの提案を適用してファイルを書き換え、差分と残りの指摘を表示します
  --fix-dry-run  書き換えずに、--fix の差分と残る指摘だけを表示します
  --batch        1 行 1 件の JSONL {"id","draft","customer"?} を確認し、1 行 1 件で結果を出力
  --score        --batch の入力がラベル付き（docs/corpus-format.md）のとき、精度と再現率を表示
  --templates    定型文（.txt/.md）と Zendesk のマクロ（.json）をまとめて確認し、一覧表を出します
  pack test      各ルールの examples を実行し、ルールごとに結果を表示します
  pack lint      パックだけを検査します: スキーマ・重複 ID・正規表現・例の失敗・例の不足
                 （複数のファイルは 1 つ目 → 2 つ目 … の順に重ねて検査）
  --on-builtin   標準パックの上に重ねて検査します（上書きの対象・ID の重なり・標準のシグナルの参照）
  --strict       警告があっても終了コード 1
  import-prh     prh の辞書（YAML）を kizuki のパックに変換します（-o がなければ標準出力）
  stats report   エージェントが書き出した回数だけの CSV をまとめ、1 つの HTML レポートにします（文章は含みません）
  --version      バージョンを表示します

終了コード: 0 エラーなし / 1 エラーの指摘あり・例の失敗 / 2 使い方・入出力・パックの誤り`;

const EN = `Usage:
${COMMANDS}

  check          checks reply drafts and prints line-numbered findings (no FILE or - reads standard input;
                 a folder means the .txt / .md files in it)
  --customer     the customer's message (decides whether an apology, empathy, ... is required)
  --pack         an extra rule pack (YAML/JSON, repeatable, later packs win)
  --no-builtin   do not use the built-in pack
  --format       text (default) or json
  --fix          applies the suggestions of rules marked fix: safe, rewrites the files, prints the diff and what is left
  --fix-dry-run  prints what --fix would change and what would be left, writing nothing
  --batch        checks JSONL, one {"id","draft","customer"?} per line, and prints one result per line
  --score        with --batch over a labelled set (docs/corpus-format.md): precision and recall
  --templates    checks canned replies (.txt/.md) and Zendesk macro exports (.json) and prints a table
  pack test      runs each rule's examples and prints the result per rule
  pack lint      lints the packs alone: schema, duplicate ids, regexes, failing and missing examples
                 (several files are stacked in order: first, then second, ...)
  --on-builtin   lints them stacked on the built-in pack (override targets, ids, the built-in signals)
  --strict       exit code 1 on warnings too
  import-prh     converts a prh dictionary (YAML) to a kizuki pack (standard output unless -o)
  --version      prints the version

Exit codes: 0 no error / 1 an error finding or a failing example / 2 usage, I/O or pack errors`;

export function usage(language: Language = 'ja'): string {
  return language === 'en' ? EN : JA;
}
