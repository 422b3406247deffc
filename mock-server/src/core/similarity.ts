/**
 * A deterministic lexical similarity standing in for embeddings: cosine similarity of the two
 * texts' word-count vectors, in [0, 1]. Words are lower-cased runs of letters and digits.
 */
export function tokenize(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  }
  return counts;
}

function norm(vector: Map<string, number>): number {
  let sum = 0;
  for (const count of vector.values()) sum += count * count;
  return Math.sqrt(sum);
}

export function cosineSimilarity(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [word, count] of small) dot += count * (large.get(word) ?? 0);
  if (dot === 0) return 0;
  // Floating point can land a hair above 1 for identical texts.
  return Math.min(1, dot / (norm(a) * norm(b)));
}
