/** Turns texts into vectors, one per text, in order. Plug one in to rank memory by meaning. */
export interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}

/** How a memory query ranked its matches: by words, by vectors, or by words because the embedder failed. */
export type MemoryRanking = 'lexical' | 'embeddings' | 'lexical-fallback';

/** Cosine similarity of two vectors, clamped to [0, 1] (memory scores are never negative). */
export function vectorSimilarity(a: number[], b: number[]): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (dot <= 0 || normA === 0 || normB === 0) return 0;
  return Math.min(1, dot / Math.sqrt(normA * normB));
}
