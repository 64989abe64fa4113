// Types for the seeded reply generator (bench/texts.mjs), which tests reuse as a corpus.
export function seededRandom(seed: number): () => number;
export function createReplyGenerator(seed: number): {
  sentence(): string;
  reply(chars: number): string;
  editOneCharacter(text: string): string;
};
