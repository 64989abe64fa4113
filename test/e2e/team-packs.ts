// A QA lead's team pack (a house-style rule, an override of a built-in rule, markup in a message) and a pack whose
// example fails, as the managed-configuration tests push them in Chromium and Firefox.

/** The house-style rule every team pack of the tests carries: 弊社 → 当社. `extra`: more fields (indented 4). */
export const heishaRule = (extra = '') => `  - id: heisha
    kind: phrase
    category: house-style
    severity: warning
    message: 当チームでは「{match}」ではなく「当社」と書きます。
${extra}    phrases: [弊社]
    suggestions: [当社]
    examples:
      flag: [弊社で確認いたします。]
      pass: [当社で確認いたします。]
`;

/** Adds 弊社 → 当社, lowers the built-in conjunction rule to a warning. */
export const TEAM_PACK = `
id: team
name: サポートチームの表記
version: 1.2.0
overrides:
  - { rule: builtin/conjunction-demo-datte, severity: warning }
rules:
${heishaRule()}  - id: markup-in-message
    kind: phrase
    category: house-style
    severity: info
    message: '<img src=x onerror="document.title=1"><b>太字</b>は文字のまま表示されます'
    phrases: [御社]
    examples:
      flag: [御社のご意見]
`;

/** A pack whose example fails: refused, and the others keep working. */
export const BROKEN_PACK = `
id: broken
name: 壊れたパック
version: 1.0.0
rules:
  - id: never
    kind: phrase
    category: house-style
    severity: error
    message: m
    phrases: [存在しない語]
    examples:
      flag: [この例はフラグされません。]
`;

/**
 * A pack whose failing example needs tokens: at browser start it is compiled before the dictionary has loaded, so it
 * can only be refused once the packs are compiled again with the tokenizer.
 */
export const BROKEN_TOKEN_PACK = `
id: broken-tokens
name: 形態素の例が通らないパック
version: 1.0.0
rules:
  - id: never-conjunction
    kind: morpheme
    category: house-style
    severity: info
    message: m
    pattern: [{ surface: でも, pos: 接続詞 }]
    examples:
      flag: [それは仕様です。]
`;

/** Issue 9's freezing pack: five wildcards and a token that never occurs (backtracking took >20 s a sentence). */
export const WILDCARD_PACK = `
id: wildcards
name: ワイルドカードの多いパック
version: 1.0.0
rules:
  - id: wild
    kind: morpheme
    category: house-style
    severity: info
    message: 到達しないはずの規則
    pattern: [${Array(5).fill('{ any: true, min: 0, max: 20 }').join(', ')}, { surface: 存在, pos: 動詞 }]
    examples:
      pass: [確認いたします。]
`;

/** Issue 9's expansion bomb: a substitution repeating $0 60,000 times (114 M characters for a 2,000-character draft). */
export const EXPANSION_PACK = `
id: expansion
name: 展開の大きいパック
version: 1.0.0
rules:
  - id: bomb
    kind: substitution
    category: house-style
    severity: info
    message: 置き換え
    phrases: [確認]
    replace: ['${'$0'.repeat(60_000)}']
    examples:
      flag: [確認いたします。]
`;
