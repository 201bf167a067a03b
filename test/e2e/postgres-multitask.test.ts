// Double-texting (multitask.test.ts) on PostgreSQL: enqueue, interrupt, reject, and rollback,
// which deletes the rolled-back run's checkpoints from PostgreSQL.
import { stacksOnPostgres } from "../helpers/postgres-for-stacks.ts";

await stacksOnPostgres();
await import("./multitask.test.ts");
