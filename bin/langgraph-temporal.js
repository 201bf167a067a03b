#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, which also loads the user's TypeScript graphs.
import { register } from "tsx/esm/api";

register();
await import("../startup/cli.ts");
