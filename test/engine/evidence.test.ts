// The checklist quotes the customer's words as the reason a check is needed (「届いたのに」というご不満). A quote is the
// customer's own phrase: a part of their message that starts at a word, never a particle or an ending on its own.
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/node/corpus';
import { builtinEngine, tokenizer } from '../helpers';
import { readableEvidence } from '../../src/engine/evidence';

describe('evidence quoted from the customer message', () => {
  it('widens a match on an ending to the word it belongs to, with its endings', async () => {
    const t = await tokenizer;
    const quote = (text: string, piece: string) => {
      const start = text.indexOf(piece);
      return readableEvidence(text, start, start + piece.length, t.tokenize(text));
    };
    expect(quote('昨日届いたのに、箱が潰れていました。', 'たのに')).toBe('届いたのに');
    expect(quote('商品が壊れていました。', '壊れ')).toBe('壊れていました');
    expect(quote('一時間も待たされました。', 'たされました')).toBe('待たされました');
    expect(quote('ずっと待っているのに。', 'のに。')).toBe('待っているのに');
    expect(quote('ご連絡をお待ちしておりましたが、', 'おりましたが')).toBe('お待ちしておりましたが');
    // Already a phrase: kept as it is.
    expect(quote('本当に最悪です。', '最悪')).toBe('最悪です');
    expect(quote('不安で眠れません。', '不安')).toBe('不安で');
  });

  it('in every corpus case, is a part of the customer message that starts at a word', async () => {
    const engine = await builtinEngine();
    const t = await tokenizer;
    const fragments: string[] = [];
    let quoted = 0;
    for (const c of readCorpus()) {
      if (!c.customer) continue;
      const context = engine.analyzeCustomer(c.customer);
      for (const [signal, evidence] of Object.entries(context.evidence)) {
        if (signal === 'name') continue;
        quoted++;
        expect(c.customer.replace(/\r\n?/g, '\n'), `${c.id} ${signal}`).toContain(evidence);
        const first = t.tokenize(evidence)[0];
        if (first && (first.pos === '助詞' || first.pos === '助動詞' || first.pos_detail_1 === '非自立')) fragments.push(`${c.id} ${signal}「${evidence}」`);
      }
    }
    expect(quoted).toBeGreaterThan(1000);
    // Punctuation-only cues (「？」「！！」) and phrases longer than a quote stay as matched: under 1 % (it was 16 % before quotes were widened).
    expect(fragments.length / quoted).toBeLessThan(0.01);
  });
});
