// Panel labels: Japanese by default; English chrome when the browser UI is not Japanese. Rule messages and
// checklist labels come from the packs and stay Japanese (the reply is Japanese).
const ja = {
  title: 'kizuki',
  loading: '読み込み中…',
  noEditor: 'このタブでは返信欄が見つかりません。返信欄をクリックしてください。',
  note: '社内メモを編集中です（社内メモはチェックしません）。',
  noFindings: '指摘はありません。',
  dictionaryLoading: '辞書を読み込み中です。語の区切りが必要なルールは読み込み後に確認します。',
  checklist: 'チェックリスト',
  findings: '指摘',
  customer: '参照したお客様のメッセージ',
  noCustomer: 'お客様のメッセージが見つかりませんでした（お詫び・共感などの要否は判断していません）。',
  satisfied: '満たしています',
  missing: '不足',
  notRequired: '不要',
  site: 'このサイト',
  enableSite: 'このサイトでチェックする',
  disableSite: 'このサイトでのチェックをやめる',
  siteHelp: 'ヘルプデスク以外のサイトは、許可したサイトだけでチェックします。',
  siteError: '有効にできませんでした',
  reply: '返信全体',
  fromPack: 'パック',
  changedBy: '変更',
};
export type Labels = typeof ja;
const en: Labels = {
  title: 'kizuki',
  loading: 'Loading…',
  noEditor: 'No reply box found in this tab. Click into the reply box.',
  note: 'Editing an internal note (notes are not checked).',
  noFindings: 'No findings.',
  dictionaryLoading: 'Loading the dictionary; word-based rules run once it is ready.',
  checklist: 'Checklist',
  findings: 'Findings',
  customer: 'Customer message used as context',
  noCustomer: 'No customer message found (apology/empathy requirements not judged).',
  satisfied: 'Satisfied',
  missing: 'Missing',
  notRequired: 'Not needed',
  site: 'This site',
  enableSite: 'Check replies on this site',
  disableSite: 'Stop checking this site',
  siteHelp: 'Outside helpdesks, kizuki only runs on sites you enable.',
  siteError: 'Could not enable',
  reply: 'Whole reply',
  fromPack: 'pack',
  changedBy: 'changed by',
};

export function labels(uiLanguage: string): Labels {
  return uiLanguage.toLowerCase().startsWith('ja') ? ja : en;
}
