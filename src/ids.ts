// Ids minted by the server (spec §3.1): uuid7 for threads, runs and crons, uuidv5 for system assistants.
import { v5 as uuidv5, v7 as uuidv7, validate } from "uuid";

/** Namespace of system assistant ids (spec §2.3); `agent` → fe096781-5601-53d2-b2f6-0d3403f7e9ca. */
const SYSTEM_ASSISTANT_NAMESPACE = "6ba7b821-9dad-11d1-80b4-00c04fd430c8";

export const newThreadId = (): string => uuidv7();
export const newRunId = (): string => uuidv7();
export const newCronId = (): string => uuidv7();

export function systemAssistantId(graphId: string): string {
  return uuidv5(graphId, SYSTEM_ASSISTANT_NAMESPACE);
}

export const isUuid = (value: string): boolean => validate(value);
