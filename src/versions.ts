// Versions reported by /info and stamped into checkpoint metadata.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const SERVER_VERSION: string = require("../package.json").version;
export const LANGGRAPH_VERSION: string = require("@langchain/langgraph/package.json").version;
