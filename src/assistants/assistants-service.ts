// Assistants (spec §3.3, §4.5): versioned configurations of a graph. The system assistant of
// each graph (spec §2.3), create / search / update / delete, versions, and what the graph of
// an assistant looks like (drawing, schemas, subgraphs).
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { v7 as uuidv7 } from "uuid";
import { now, type Assistant, type JsonObject } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import type { Caller } from "../auth/caller.ts";
import { notFound, ServiceError } from "../errors.ts";
import type { CompiledGraph, GraphRegistry } from "../graphs/registry.ts";
import type { CronCleanup } from "../crons/crons-service.ts";
import { isUuid, systemAssistantId } from "../ids.ts";
import type { AssistantChanges, AssistantFilter, AssistantSearch, AssistantVersion, Storage } from "../storage/types.ts";
import { drawGraph, graphSchemas, subgraphSchemas, type GraphSchemas } from "./graph-introspection.ts";

/** Per-graph `config`/`context` of system assistants, from env LANGGRAPH_CONFIG (spec §2.3). */
export type SystemAssistantConfig = Record<string, JsonObject>;

export interface AssistantCreate {
  graph_id: string;
  assistant_id?: string;
  config?: JsonObject;
  context?: JsonObject;
  metadata?: JsonObject;
  if_exists?: "raise" | "do_nothing";
  name?: string;
  description?: string | null;
}

/** The fields `select` may name (the SDK's AssistantSelectField). */
export const ASSISTANT_FIELDS = [
  "assistant_id", "graph_id", "name", "description", "config", "context", "created_at", "updated_at", "metadata", "version",
] as const;
export type AssistantField = (typeof ASSISTANT_FIELDS)[number];

export type GraphSchemasResponse = GraphSchemas & { graph_id: string };

const assistantNotFound = () => notFound("Assistant not found");
const graphNotFound = (graphId: string) => notFound(`Graph "${graphId}" not found`);

export class AssistantsService {
  constructor(
    private readonly storage: Storage,
    private readonly graphs: GraphRegistry,
    private readonly crons: CronCleanup,
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

  /**
   * A graph id names its system assistant; anything else must be an assistant uuid. Runs use
   * any assistant they name, whoever may see it (as the JS server does).
   */
  async resolve(idOrGraphId: string, filters?: AuthFilters): Promise<Assistant | undefined> {
    if (this.graphs.has(idOrGraphId)) return this.storage.assistants.get(systemAssistantId(idOrGraphId), filters);
    return isUuid(idOrGraphId) ? this.storage.assistants.get(idOrGraphId, filters) : undefined;
  }

  async get(idOrGraphId: string, caller: Caller): Promise<Assistant> {
    return this.visible(idOrGraphId, await caller.authorize("assistants", "read", { assistant_id: idOrGraphId }));
  }

  /** The assistant if it satisfies the caller's filters; 404 as for a missing one otherwise. */
  private async visible(idOrGraphId: string, filters: AuthFilters | undefined): Promise<Assistant> {
    const assistant = await this.resolve(idOrGraphId, filters);
    if (!assistant) throw assistantNotFound();
    return assistant;
  }

  async create(body: AssistantCreate, caller: Caller): Promise<Assistant> {
    if (!this.graphs.has(body.graph_id)) throw graphNotFound(body.graph_id);
    const event = { ...body, assistant_id: body.assistant_id ?? uuidv7(), metadata: body.metadata ?? {} };
    const filters = await caller.authorize("assistants", "create", event);
    const timestamp = now();
    const assistant: Assistant = {
      assistant_id: event.assistant_id,
      graph_id: body.graph_id,
      name: body.name ?? "Untitled",
      description: body.description ?? null,
      config: body.config ?? {},
      context: body.context ?? {},
      metadata: event.metadata,
      version: 1,
      created_at: timestamp,
      updated_at: timestamp,
    };
    if (await this.storage.assistants.create(assistant)) return assistant;
    // The id is taken (the insert was refused atomically, so two racing creates cannot both win).
    if ((body.if_exists ?? "raise") === "raise") throw new ServiceError("conflict", "Assistant already exists");
    // Deleted in between, or another caller's: refused, never returned.
    const existing = await this.storage.assistants.get(assistant.assistant_id, filters);
    if (!existing) throw new ServiceError("conflict", "Assistant already exists");
    return existing;
  }

  /** One page, newest first unless sorted otherwise; `select` keeps only the named fields. */
  async search(query: AssistantSearch, select: AssistantField[] | undefined, caller: Caller): Promise<{ items: Partial<Assistant>[]; total: number }> {
    const { items, total } = await this.storage.assistants.search({ ...query, auth: await this.searchFilters(query, caller) });
    return { items: select?.length ? items.map((a) => pick(a, select)) : items, total };
  }

  async count(filter: AssistantFilter, caller: Caller): Promise<number> {
    return this.storage.assistants.count({ ...filter, auth: await this.searchFilters(filter, caller) });
  }

  private searchFilters({ graphId, metadata, limit = 0, offset = 0 }: AssistantFilter & { limit?: number; offset?: number }, caller: Caller) {
    return caller.authorize("assistants", "search", { graph_id: graphId, metadata, limit, offset });
  }

  /** Writes version n+1 with the changes (metadata merged) and makes it the latest. */
  async update(idOrGraphId: string, changes: AssistantChanges, caller: Caller): Promise<Assistant> {
    const event = { ...changes, assistant_id: idOrGraphId, metadata: changes.metadata ?? {} };
    const { assistant_id } = await this.visible(idOrGraphId, await caller.authorize("assistants", "update", event));
    if (changes.graph_id !== undefined && !this.graphs.has(changes.graph_id)) throw graphNotFound(changes.graph_id);
    const updated = await this.storage.assistants.update(assistant_id, { ...changes, metadata: event.metadata }, now());
    if (!updated) throw assistantNotFound();
    return updated;
  }

  /**
   * Deletes the assistant, all its versions, runs and crons; with `deleteThreads`, also the
   * threads whose `metadata.assistant_id` is this assistant (with their runs, crons and checkpoints).
   *
   * Refused (409) while one of those runs is pending or running: its workflow would go on
   * writing to records that are gone. The same rule as deleting an inflight run (spec §3.5).
   */
  async delete(idOrGraphId: string, { deleteThreads }: { deleteThreads: boolean }, caller: Caller): Promise<void> {
    const assistant = await this.visible(idOrGraphId, await caller.authorize("assistants", "delete", { assistant_id: idOrGraphId }));
    const assistantId = assistant.assistant_id;
    // Only the threads the caller may delete go with it.
    const threadFilters = deleteThreads ? await caller.authorize("threads", "delete", { assistant_id: assistantId }) : undefined;
    const threadIds = deleteThreads ? await this.storage.threads.idsForAssistant(assistantId, threadFilters) : [];
    const inflight = [
      ...(await this.storage.runs.inflightForAssistant(assistantId)),
      ...(await Promise.all(threadIds.map((threadId) => this.storage.runs.inflightForThread(threadId)))).flat(),
    ];
    const [busy] = inflight;
    if (busy) {
      throw new ServiceError("conflict", `Run ${busy.run_id} of assistant ${assistantId} is ${busy.status}; cancel it first`);
    }
    // The crons first, so none fires for what is being deleted.
    await this.crons.deleteForAssistant(assistantId);
    if (threadIds.length > 0) {
      const checkpointer = await this.checkpointer(assistant);
      for (const threadId of threadIds) {
        await this.crons.deleteForThread(threadId);
        await this.storage.threads.delete(threadId);
        await checkpointer?.deleteThread(threadId);
      }
    }
    await this.storage.runs.deleteForAssistant(assistantId);
    await this.storage.assistants.delete(assistantId);
  }

  /** Versions newest first; 404 when the assistant is unknown or no version matches. */
  async listVersions(idOrGraphId: string, query: { limit: number; offset: number; metadata?: JsonObject }, caller: Caller): Promise<AssistantVersion[]> {
    const { assistant_id } = await this.get(idOrGraphId, caller);
    const versions = await this.storage.assistants.listVersions(assistant_id, query);
    if (versions.length === 0) throw notFound(`No versions of assistant ${assistant_id} match`);
    return versions;
  }

  /** Makes `version` the latest: the assistant takes that version's fields again. */
  async setLatest(idOrGraphId: string, version: number, caller: Caller): Promise<Assistant> {
    const filters = await caller.authorize("assistants", "update", { assistant_id: idOrGraphId, version });
    const { assistant_id } = await this.visible(idOrGraphId, filters);
    const result = await this.storage.assistants.setLatest(assistant_id, version, now());
    if (result.status === "assistant_missing") throw assistantNotFound();
    if (result.status === "version_missing") throw notFound(`Assistant version ${version} not found`);
    return result.assistant;
  }

  async getGraph(idOrGraphId: string, xray: boolean | number, caller: Caller): Promise<JsonObject> {
    const assistant = await this.get(idOrGraphId, caller);
    return drawGraph(await this.compiledGraph(assistant), configurableOf(assistant), xray);
  }

  async getSchemas(idOrGraphId: string, caller: Caller): Promise<GraphSchemasResponse> {
    const assistant = await this.get(idOrGraphId, caller);
    return { graph_id: assistant.graph_id, ...graphSchemas(await this.compiledGraph(assistant)) };
  }

  async getSubgraphs(idOrGraphId: string, { namespace, recurse }: { namespace?: string; recurse: boolean }, caller: Caller): Promise<Record<string, GraphSchemas>> {
    const assistant = await this.get(idOrGraphId, caller);
    return subgraphSchemas(await this.compiledGraph(assistant), namespace, recurse);
  }

  /** The assistant's graph as its runs get it: factories are called with its configurable. */
  private async compiledGraph(assistant: Assistant): Promise<CompiledGraph> {
    if (!this.graphs.has(assistant.graph_id)) throw graphNotFound(assistant.graph_id);
    return this.graphs.get(assistant.graph_id, { configurable: configurableOf(assistant) });
  }

  /**
   * The server's checkpointer, which the registry hands every graph it compiles (spec §2.2),
   * so that deleted threads leave no checkpoints behind for a thread created later with the same id.
   */
  private async checkpointer(assistant: Assistant): Promise<BaseCheckpointSaver | undefined> {
    const graphId = this.graphs.has(assistant.graph_id) ? assistant.graph_id : this.graphs.graphIds()[0];
    if (graphId === undefined) return undefined;
    const { checkpointer } = await this.graphs.get(graphId, { configurable: configurableOf(assistant) });
    return typeof checkpointer === "object" ? checkpointer : undefined;
  }
}

function configurableOf(assistant: Assistant): JsonObject | undefined {
  const configurable = assistant.config.configurable;
  return configurable && typeof configurable === "object" ? (configurable as JsonObject) : undefined;
}

function pick(assistant: Assistant, fields: readonly AssistantField[]): Partial<Assistant> {
  return Object.fromEntries(fields.map((field) => [field, assistant[field]])) as Partial<Assistant>;
}
