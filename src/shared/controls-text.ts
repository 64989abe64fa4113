// Labels of the controls (pause, dismissed rules, personal dictionary) and of the panel's states, for the panel and
// the options page. The language follows the browser UI, as all of the extension's own pages do (Japanese UI:
// Japanese; otherwise English). What kizuki says about the reply itself (findings, cards, the nudge) stays Japanese.
const ja = {
  noReplyBox: 'このタブには kizuki がチェックする返信欄がありません。',
  paused: 'kizuki はこのサイトで一時停止中です。',
  pausedEverywhere: 'kizuki はすべてのサイトで一時停止中です（{time} まで）。',
  emptyDraft: '返信を入力するとチェックします。',
  todo: '未記入',
  controls: '一時停止',
  pauseSite: 'このサイトで一時停止',
  resumeSite: 'このサイトで再開',
  pauseHour: 'すべてのサイトで 1 時間停止',
  resumeAll: 'すべてのサイトで再開',
  dismissed: '非表示にしたルールと語句',
  dismissedNone: '非表示にしたものはありません。カードの「今後表示しない」で追加できます。',
  dismissedRule: 'ルール',
  personalWord: '個人辞書',
  restore: '元に戻す',
  addWord: '語句を追加',
  addWordPlaceholder: '製品名など（例: キャッシュ便）',
  add: '追加',
  lockedNote: '管理者が固定したルールは非表示にできません。',
  sendCheck: '送信前の確認',
  sendCheckMode: { off: 'オフ', nudge: '未解決の指摘があれば送信前に表示', confirm: '「要修正」の指摘は確認してから送信' },
  sendCheckFrom: { default: '既定', policy: '管理者設定', pack: 'パック' },
};
export type ControlsText = typeof ja;
const en: ControlsText = {
  noReplyBox: 'No reply box that kizuki checks in this tab.',
  paused: 'kizuki is paused on this site.',
  pausedEverywhere: 'kizuki is paused on all sites (until {time}).',
  emptyDraft: 'Start typing the reply and kizuki checks it.',
  todo: 'To do',
  controls: 'Pause',
  pauseSite: 'Pause on this site',
  resumeSite: 'Resume on this site',
  pauseHour: 'Pause everywhere for 1 hour',
  resumeAll: 'Resume everywhere',
  dismissed: 'Hidden rules and phrases',
  dismissedNone: 'Nothing hidden. Use “今後表示しない” on a card to hide a rule or a phrase.',
  dismissedRule: 'Rule',
  personalWord: 'Personal dictionary',
  restore: 'Undo',
  addWord: 'Add a phrase',
  addWordPlaceholder: 'A product name, e.g. キャッシュ便',
  add: 'Add',
  lockedNote: 'Rules locked by your administrator cannot be hidden.',
  sendCheck: 'Check before sending',
  sendCheckMode: { off: 'Off', nudge: 'Show open findings before a reply is sent', confirm: 'Error findings must be confirmed before sending' },
  sendCheckFrom: { default: 'default', policy: 'administrator policy', pack: 'pack' },
};

export function isJapaneseUi(uiLanguage: string): boolean {
  return uiLanguage.toLowerCase().startsWith('ja');
}

export function controlsText(uiLanguage: string): ControlsText {
  return isJapaneseUi(uiLanguage) ? ja : en;
}
