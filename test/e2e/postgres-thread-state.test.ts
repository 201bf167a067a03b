// Thread state, history, updates and time-travel forks (thread-state.test.ts) on PostgreSQL,
// whose checkpointer stores channel values apart from checkpoints: a fork must read its own.
import { stacksOnPostgres } from "../helpers/postgres-for-stacks.ts";

await stacksOnPostgres();
await import("./thread-state.test.ts");
