import type { Embedder } from '../core/embedder.js';
import { checkModelOptions, ModelServerError, postJson, type OpenAICompatibleOptions } from './openai-compatible.js';

/**
 * An embedder backed by any OpenAI-compatible `/embeddings` endpoint.
 *
 * @example
 * createSessionsApi({ embedder: openAIEmbedder({ baseURL: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text' }) });
 */
export function openAIEmbedder(options: OpenAICompatibleOptions): Embedder {
  checkModelOptions(options, 'openAIEmbedder()');
  return {
    async embed(texts) {
      const answer = (await postJson(options, '/embeddings', { model: options.model, input: texts })) as { data?: Array<{ embedding?: unknown; index?: unknown }> };
      const data = answer?.data;
      if (!Array.isArray(data) || data.length !== texts.length) {
        throw new ModelServerError(`The embeddings answer has ${Array.isArray(data) ? data.length : 'no'} vectors for ${texts.length} texts`, 200);
      }
      const ordered = data.every((item) => typeof item?.index === 'number') ? [...data].sort((a, b) => (a.index as number) - (b.index as number)) : data;
      return ordered.map((item, i) => {
        const vector = item?.embedding;
        if (!Array.isArray(vector) || vector.length === 0 || !vector.every((value) => typeof value === 'number' && Number.isFinite(value))) {
          throw new ModelServerError(`The embeddings answer's vector ${i} is not a non-empty list of numbers`, 200);
        }
        return vector as number[];
      });
    },
  };
}
