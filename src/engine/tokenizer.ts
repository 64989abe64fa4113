// The one interface the engine needs from a morphological analyser, and the kuromoji (IPADIC) implementation.
// The dictionary loader is injected so the same code runs in Node (files) and in the extension (fetch).
import { TokenizerBuilder } from '@patdx/kuromoji';
import type { Token } from './types';
import { compactTokenizer, readCompactDictionary, type CompactDictionary } from './compact-dictionary';

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
  return wrapKuromoji(await new TokenizerBuilder({ loader }).build());
}

/**
 * The same tokenizer over the compact dictionary (scripts/build-dictionary.mjs): ready as soon as its bytes are,
 * with no gunzip and no parsing, in a fraction of the memory. The extension uses this one.
 */
export function compactDictionaryTokenizer(bytes: ArrayBuffer): Tokenizer {
  return tokenizerOfCompactDictionary(readCompactDictionary(bytes));
}

/** The same, over a dictionary already opened (the engine host's worker opens it off the page's thread). */
export function tokenizerOfCompactDictionary(dictionary: CompactDictionary): Tokenizer {
  return wrapKuromoji(compactTokenizer(dictionary));
}

function wrapKuromoji(kuromoji: { tokenize(text: string): readonly RawToken[] }): Tokenizer {
  return {
    tokenize(text: string): Token[] {
      if (text.length === 0) return [];
      return tokensFromSafeCopy(text, kuromoji.tokenize(safeForKuromoji(text)));
    },
  };
}

/**
 * Stands in for every code unit kuromoji cannot take. U+3013 (〓) is a BMP symbol that IPADIC tokenises as a
 * 記号/一般 token of its own (checked by test/engine/tokenizer.test.ts), so it never joins the words around it.
 */
export const PLACEHOLDER = '\u3013';

/**
 * kuromoji throws on U+0000 and drops or shifts characters after two astral code points in a row (🙏🙏, 🇯🇵, 👍🏽,
 * 𠮷𠮷). It gets a copy of the same length instead: NUL and the other C0/C1 controls (tab aside), every code unit of
 * an astral code point and lone surrogates become placeholders, so offsets into the copy are offsets into `text`.
 */
export function safeForKuromoji(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ud800-\udfff]/g, PLACEHOLDER);
}

/** A token as kuromoji returns it (the fields the engine reads). */
export interface RawToken {
  surface_form: string;
  pos: string;
  pos_detail_1: string;
  pos_detail_2: string;
  pos_detail_3: string;
  conjugated_type: string;
  conjugated_form: string;
  basic_form: string;
  reading?: string;
  pronunciation?: string;
}

/**
 * Tokens of `text` from kuromoji's tokens of its safe copy: offsets come from the copy's surfaces, surfaces from
 * `text` itself. Two tokens whose boundary falls inside a surrogate pair (the two placeholders of one emoji) are one
 * token: an underline or a replacement can never cut a character in half.
 */
export function tokensFromSafeCopy(text: string, raw: readonly RawToken[]): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  for (const t of raw) {
    const start = offset;
    offset = Math.min(text.length, offset + t.surface_form.length);
    if (offset === start) continue;
    const previous = tokens[tokens.length - 1];
    if (previous && splitsSurrogatePair(text, start)) {
      previous.end = offset;
      previous.surface = previous.basic_form = text.slice(previous.start, offset);
      continue;
    }
    const surface = text.slice(start, offset);
    const replaced = surface !== t.surface_form;
    tokens.push({
      surface,
      pos: t.pos,
      pos_detail_1: t.pos_detail_1,
      pos_detail_2: t.pos_detail_2,
      pos_detail_3: t.pos_detail_3,
      conjugated_type: t.conjugated_type,
      conjugated_form: t.conjugated_form,
      // A token that stood in for other characters is known by what was written, not by the placeholder.
      basic_form: replaced || t.basic_form === '*' ? surface : t.basic_form,
      reading: replaced ? '' : (t.reading ?? ''),
      pronunciation: replaced ? '' : (t.pronunciation ?? ''),
      start,
      end: offset,
    });
  }
  // Should kuromoji ever return less than it was given, the rest is one symbol token rather than lost offsets.
  if (offset < text.length) {
    const surface = text.slice(offset);
    tokens.push({ surface, pos: '記号', pos_detail_1: '一般', pos_detail_2: '*', pos_detail_3: '*', conjugated_type: '*',
      conjugated_form: '*', basic_form: surface, reading: '', pronunciation: '', start: offset, end: text.length });
  }
  return tokens;
}

function splitsSurrogatePair(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
