// The one interface the engine needs from a morphological analyser, and the kuromoji (IPADIC) implementation.
// The dictionary loader is injected so the same code runs in Node (files) and in the extension (fetch).
import { TokenizerBuilder } from '@patdx/kuromoji';
import type { Token } from './types';

export interface Tokenizer {
  /** Tokens with UTF-16 offsets relative to `text`. */
  tokenize(text: string): Token[];
}

/** Returns the decompressed bytes of one IPADIC file, e.g. `base.dat.gz`. */
export interface DictionaryLoader {
  loadArrayBuffer(file: string): Promise<ArrayBufferLike>;
}

/** Builds a kuromoji tokenizer. Costs ~0.5 s and ~100+ MB: build once per process and share it. */
export async function buildTokenizer(loader: DictionaryLoader): Promise<Tokenizer> {
  const kuromoji = await new TokenizerBuilder({ loader }).build();
  return {
    tokenize(text: string): Token[] {
      if (text.length === 0) return [];
      const raw = kuromoji.tokenize(text);
      const tokens: Token[] = new Array(raw.length);
      // kuromoji's word_position is 1-based and counts UTF-16 code units; recompute from surfaces to be exact.
      let offset = 0;
      for (let i = 0; i < raw.length; i++) {
        const t = raw[i]!;
        const start = offset;
        offset += t.surface_form.length;
        tokens[i] = {
          surface: t.surface_form,
          pos: t.pos,
          pos_detail_1: t.pos_detail_1,
          pos_detail_2: t.pos_detail_2,
          pos_detail_3: t.pos_detail_3,
          conjugated_type: t.conjugated_type,
          conjugated_form: t.conjugated_form,
          basic_form: t.basic_form === '*' ? t.surface_form : t.basic_form,
          reading: t.reading ?? '',
          pronunciation: t.pronunciation ?? '',
          start,
          end: offset,
        };
      }
      return tokens;
    },
  };
}
