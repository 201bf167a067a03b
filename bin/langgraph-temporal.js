#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, which also loads the user's TypeScript graphs. Both of
// tsx's hooks, as the tsx CLI that `langgraphjs dev` runs installs them: a project without
// "type": "module" has CommonJS .ts files, which only the require hook compiles.
import { register as registerCommonJs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

registerCommonJs();
register();
await import("../startup/cli.ts");
