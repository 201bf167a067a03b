#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, which also loads the user's TypeScript graphs. Both of
// tsx's hooks, as the tsx CLI that `langgraphjs dev` runs installs them: a project without
// "type": "module" has CommonJS .ts files, which only the require hook compiles.
import v8 from "node:v8";
import { register as registerCommonJs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

// V8 sizes its heaps for a process alone on a big machine: a young generation of 16 MB
// semi-spaces in every isolate, and an old generation left to grow to up to 4× what is live
// before a full collection. Under load that was most of the server's memory. Set here, before
// tsx's loader thread and the worker's workflow thread exist, so that their isolates start
// with smaller young generations (this thread's is fixed already); the growth bound applies to
// every isolate at each full collection. LANGGRAPH_TEMPORAL_V8_FLAGS replaces them ("": V8's own).
v8.setFlagsFromString(process.env.LANGGRAPH_TEMPORAL_V8_FLAGS ?? "--max-semi-space-size=4 --heap-growing-percent=50");
registerCommonJs();
register();
await import("../startup/cli.ts");
