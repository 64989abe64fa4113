// Seeded generator of realistic Japanese support replies for the benchmark. Every sentence it produces is
// new (slots such as order numbers, dates and amounts vary, and repeats are redrawn), so "fresh" texts really
// are never-seen-before work for any cache, sentence by sentence.

/** mulberry32: a tiny deterministic PRNG, so every run measures the same texts. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤', '吉田', '山口', '松本', '井上', '木村', '林', '斎藤', '清水', '山崎', '森'];
const PRODUCTS = ['ワイヤレスイヤホン', '電気ケトル', 'ノートパソコン用スタンド', 'USB 充電器', 'コーヒーメーカー', '加湿器', 'モバイルバッテリー', 'スマートウォッチ', 'ブルーレイレコーダー', 'ロボット掃除機', '炊飯器', 'Bluetooth スピーカー'];
const SERVICES = ['クラウド会計', 'オンラインストア', '定期便サービス', 'ポイントプログラム', 'プレミアムプラン', '法人向けアカウント', 'アプリ版', 'ファミリープラン'];
const FEATURES = ['二段階認証', 'CSV エクスポート', '請求書の再発行', '配送先の変更', 'パスワードの再設定', 'メール通知', '自動更新', 'クーポンの適用', 'お気に入り登録', '領収書のダウンロード'];
const PAGES = ['マイページ', 'アカウント設定', 'ご注文履歴', 'お支払い方法', 'よくあるご質問', 'サポートセンター'];

// Ordinary sentences: most of a reply, and mostly nothing a rule flags.
const PLAIN = [
  '{name}様、いつも{service}をご利用いただき、誠にありがとうございます。',
  'ご注文番号 {order} の{product}について、お問い合わせいただきありがとうございます。',
  'お問い合わせの件、{date}に担当部署にて確認いたしました。',
  '{product}は{date}に倉庫から発送しており、お届けまで通常 {days} 営業日ほどかかります。',
  '{page}の「{feature}」から、お手続きいただけます。',
  'お手数ですが、{page}にログインのうえ、ご注文番号 {order} の詳細をご確認ください。',
  '{feature}の設定は、{page}の右上にあるメニューから変更できます。',
  'ご請求額 {yen} 円のうち、{yen2} 円を{date}までにご返金いたします。',
  '本日 {time} 時までにいただいたご注文は、当日中に発送いたします。',
  '{service}の{feature}は、{date}のアップデートで改善される予定です。',
  '確認のうえ、{date}の {time} 時までに改めてご連絡いたします。',
  '恐れ入りますが、お使いの{product}の製造番号（{serial}）をお知らせいただけますでしょうか。',
  '{name}様のアカウントでは、{feature}が有効になっております。',
  '{date}にお送りしたメール（件名：ご注文番号 {order}）もあわせてご確認ください。',
  'ご不明な点がございましたら、{page}からお気軽にお問い合わせください。',
  '{product}の交換品は、{date}から{date2}の間にお届けする予定です。',
  '{service}の月額料金は {yen} 円（税込）で、{date}から適用されます。',
  '念のため、{feature}の画面の写真を添付していただけますと幸いです。',
  'お客様番号 {order} で登録されている配送先は、{name}様のご自宅になっております。',
  '{feature}をご利用いただくには、{service}の{page}で事前の登録が必要です。',
  'ご指摘いただいた{feature}の表示については、{days} 営業日以内に修正いたします。',
  '返品をご希望の場合は、{date}までに{page}からお申し込みください。',
  '今後とも{service}をよろしくお願いいたします。',
  '{name}様からいただいたご意見は、{service}の担当チームに共有いたしました。',
];

// Sentences with something the built-in pack flags, at a realistic rate.
const FLAGGED = [
  'でも、{feature}は{service}では対応しておりません。',
  'ですから、{date}にご案内した通り、{page}からお手続きください。',
  '{product}の返品はできません。',
  'こちらのご注文番号 {order} でよろしかったでしょうか。',
  '{feature}の件、了解しました。',
  '{service}の仕様上、{feature}はいたしかねます。',
  'だって{feature}は{date}に終了しています。',
  '{feature}の変更はわかりません。',
];

export function createReplyGenerator(seed) {
  const random = seededRandom(seed);
  const seen = new Set();
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const date = () => `${int(1, 12)}月${int(1, 28)}日`;
  const fill = (template) =>
    template
      .replaceAll('{name}', () => pick(SURNAMES))
      .replaceAll('{product}', () => pick(PRODUCTS))
      .replaceAll('{service}', () => pick(SERVICES))
      .replaceAll('{feature}', () => pick(FEATURES))
      .replaceAll('{page}', () => pick(PAGES))
      .replaceAll('{order}', () => String(int(10_000_000, 99_999_999)))
      .replaceAll('{serial}', () => `SN-${int(100_000, 999_999)}`)
      .replaceAll('{yen2}', () => int(100, 9_999).toLocaleString('ja-JP'))
      .replaceAll('{yen}', () => int(1_000, 99_999).toLocaleString('ja-JP'))
      .replaceAll('{date2}', date)
      .replaceAll('{date}', date)
      .replaceAll('{time}', () => String(int(9, 18)))
      .replaceAll('{days}', () => String(int(2, 7)));

  /** A sentence never produced before by this generator. */
  function sentence() {
    for (;;) {
      const s = fill(random() < 0.12 ? pick(FLAGGED) : pick(PLAIN));
      if (!seen.has(s)) {
        seen.add(s);
        return s;
      }
    }
  }

  /** A reply of about `chars` characters: paragraphs of 1-3 sentences separated by blank lines, like an email. */
  function reply(chars) {
    const paragraphs = [];
    let length = 0;
    while (length < chars) {
      const count = int(1, 3);
      const sentences = [];
      for (let i = 0; i < count && length < chars; i++) {
        const s = sentence();
        sentences.push(s);
        length += s.length;
      }
      paragraphs.push(sentences.join(''));
      length += 2;
    }
    return paragraphs.join('\n\n');
  }

  /** `text` with one character inserted at a random place inside a sentence (as when an agent types). */
  function editOneCharacter(text) {
    for (;;) {
      const at = int(1, text.length - 1);
      if (text[at - 1] === '\n' || text[at] === '\n') continue;
      return text.slice(0, at) + pick(['の', 'を', 'ご', 'す', '、', '確', '認']) + text.slice(at);
    }
  }

  return { sentence, reply, editOneCharacter };
}
