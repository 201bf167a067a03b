// How a PATCH turns an assistant into its next version (spec §3.3): given fields replace the
// current ones, `metadata` is merged into the current metadata (⊕, the patch wins), and the
// result is a new version that becomes the latest.
import type { Assistant } from "../api-types.ts";
import type { AssistantChanges, AssistantVersion } from "../storage/types.ts";

export function applyChanges(current: Assistant, changes: AssistantChanges, version: number, timestamp: string): Assistant {
  return {
    ...current,
    graph_id: changes.graph_id ?? current.graph_id,
    config: changes.config ?? current.config,
    context: changes.context ?? current.context,
    name: changes.name ?? current.name,
    // An explicit null clears the description; absent keeps it.
    description: changes.description !== undefined ? changes.description : current.description,
    metadata: { ...current.metadata, ...changes.metadata },
    version,
    updated_at: timestamp,
  };
}

/** The assistant as it is at `version`, made the latest again at `timestamp` (`POST .../latest`). */
export function restoreVersion(current: Assistant, version: AssistantVersion, timestamp: string): Assistant {
  const { created_at: _versionCreatedAt, ...fields } = version;
  return { ...fields, created_at: current.created_at, updated_at: timestamp };
}

/** One version's record of the assistant: the version was created when the assistant last changed. */
export function versionOf(assistant: Assistant): AssistantVersion {
  const { updated_at, ...fields } = assistant;
  return { ...fields, created_at: updated_at };
}
