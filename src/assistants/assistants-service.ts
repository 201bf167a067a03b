// Assistants: the system assistant of each graph (spec §2.3) and lookups by id or graph id.
import { now, type Assistant, type JsonObject } from "../api-types.ts";
import { notFound } from "../errors.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { isUuid, systemAssistantId } from "../ids.ts";
import type { Storage } from "../storage/types.ts";

/** Per-graph `config`/`context` of system assistants, from env LANGGRAPH_CONFIG (spec §2.3). */
export type SystemAssistantConfig = Record<string, JsonObject>;

export class AssistantsService {
  constructor(
    private readonly storage: Storage,
    private readonly graphs: GraphRegistry,
  ) {}

  /** Creates the system assistants that are missing; existing ones are kept as they are. */
  async registerSystemAssistants(configs: SystemAssistantConfig): Promise<void> {
    const timestamp = now();
    for (const graphId of this.graphs.graphIds()) {
      const { context = {}, ...config } = configs[graphId] ?? {};
      await this.storage.assistants.upsertSystem({
        assistant_id: systemAssistantId(graphId),
        graph_id: graphId,
        name: graphId,
        description: this.graphs.spec(graphId)?.description ?? null,
        config,
        context: context as JsonObject,
        metadata: { created_by: "system" },
        version: 1,
        created_at: timestamp,
        updated_at: timestamp,
      });
    }
  }

  /** A graph id names its system assistant; anything else must be an assistant uuid. */
  async resolve(idOrGraphId: string): Promise<Assistant | undefined> {
    if (this.graphs.has(idOrGraphId)) return this.storage.assistants.get(systemAssistantId(idOrGraphId));
    return isUuid(idOrGraphId) ? this.storage.assistants.get(idOrGraphId) : undefined;
  }

  async get(idOrGraphId: string): Promise<Assistant> {
    const assistant = await this.resolve(idOrGraphId);
    if (!assistant) throw notFound("Assistant not found");
    return assistant;
  }

  search(query: { graphId?: string; limit: number; offset: number }) {
    return this.storage.assistants.search(query);
  }
}
