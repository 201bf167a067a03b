// Semantic search (spec §3.9, `store.index` in langgraph.json): what an item's texts are, and the
// embedding function that turns them into vectors. `embed` names either a module export, as
// graphs are named ("./embed.ts:embed", relative to langgraph.json), or a provider model as
// LangGraph Platform takes it ("openai:text-embedding-3-small").
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getTextAtPath } from "@langchain/langgraph-checkpoint";

export interface Embedder {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

export interface StoreIndex {
  dims: number;
  /** JSON paths of the texts to embed; "$" is the whole value. */
  fields: string[];
  embeddings: Embedder;
}

export class EmbeddingLoadError extends Error {
  override name = "EmbeddingLoadError";
}

const MODULE_FILE = /\.(m|c)?(t|j)sx?$/;

/** Resolves `embed` once at start-up; a wrong name stops the server with the reason. */
export async function loadEmbedder(embed: string, projectRoot: string): Promise<Embedder> {
  const colon = embed.lastIndexOf(":");
  const target = colon > 0 ? embed.slice(0, colon) : embed;
  const exportName = colon > 0 ? embed.slice(colon + 1) : "default";
  if (MODULE_FILE.test(target) || target.startsWith(".") || path.isAbsolute(target)) {
    const file = path.resolve(projectRoot, target);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw new EmbeddingLoadError(`store.index.embed: cannot load ${file}: ${(err as Error).message}`);
    }
    return asEmbedder(await module[exportName], `${file}:${exportName}`);
  }
  if (target === "openai") {
    const { OpenAIEmbeddings } = await import("@langchain/openai");
    return new OpenAIEmbeddings({ model: exportName });
  }
  throw new EmbeddingLoadError(`store.index.embed: "${embed}" is neither "<file>:<export>" nor "openai:<model>"`);
}

/** A function `(texts) => vectors` or a LangChain Embeddings object. */
function asEmbedder(exported: unknown, name: string): Embedder {
  if (typeof exported === "function") {
    const embed = exported as (texts: string[]) => Promise<number[][]>;
    return { embedDocuments: (texts) => embed(texts), embedQuery: async (text) => (await embed([text]))[0]! };
  }
  const candidate = exported as Partial<Embedder> | undefined;
  if (typeof candidate?.embedDocuments === "function" && typeof candidate.embedQuery === "function") return candidate as Embedder;
  throw new EmbeddingLoadError(`store.index.embed: ${name} is neither a function nor an Embeddings object`);
}

/** The texts of a value to embed, by field path, as LangGraph's stores extract them. */
export function textsToEmbed(value: Record<string, unknown>, fields: readonly string[]): Array<{ field: string; text: string }> {
  return fields.flatMap((field) => {
    const texts = field === "$" ? [JSON.stringify(value)] : textsAtPath(value, field);
    return texts.map((text, i) => ({ field: texts.length > 1 ? `${field}.${i}` : field, text }));
  });
}

/** LangGraph's path reader, which throws when a path runs through null; that is "no text". */
function textsAtPath(value: Record<string, unknown>, field: string): string[] {
  try {
    return getTextAtPath(value, field);
  } catch {
    return [];
  }
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    normA += a[i]! * a[i]!;
    normB += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}
