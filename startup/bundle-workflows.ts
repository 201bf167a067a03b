// A child process of workflow-bundle.ts: bundles the workflows at argv[2] with the SDK's webpack
// bundler and sends its parent the code and the hash of every file the bundle was made from.
// Webpack, its compilers and their garbage stay here and go when it exits, instead of staying
// resident in the server process for its whole life.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorkflowCode, DefaultLogger, type WorkerOptions } from "@temporalio/worker";
import { sha256, type BundleMessage } from "./workflow-bundle.ts";

type WebpackConfiguration = Parameters<NonNullable<NonNullable<WorkerOptions["bundlerOptions"]>["webpackConfigHook"]>>[0];
type WebpackPluginFunction = Extract<NonNullable<WebpackConfiguration["plugins"]>[number], (compiler: never) => void>;

const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The workflow bundler compiles TypeScript outside node_modules only; installed in a user's
 * project (issue 17) our workflows are inside node_modules, so our own folder is let through.
 */
function compileOurWorkflowSources(config: WebpackConfiguration): WebpackConfiguration {
  for (const rule of config.module?.rules ?? []) {
    if (rule && typeof rule === "object" && String(rule.test) === String(/\.ts$/)) {
      rule.exclude = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(PACKAGE_ROOT);
    }
  }
  return config;
}

async function bundle(workflowsPath: string): Promise<BundleMessage> {
  const files = new Set<string>();
  const recordInputs: WebpackPluginFunction = (compiler) => {
    compiler.hooks.afterCompile.tap("record-inputs", (compilation) => {
      for (const file of compilation.fileDependencies) files.add(file);
    });
  };
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: new DefaultLogger("WARN"),
    webpackConfigHook: (config) => ({ ...compileOurWorkflowSources(config), plugins: [...(config.plugins ?? []), recordInputs] }),
  });
  // This file (the bundler's configuration) and the SDK's version are inputs too. Files that
  // are not on disk (the entry point the bundler generates in memory) cannot change.
  const inputs: Record<string, string> = {};
  for (const file of [...files, fileURLToPath(import.meta.url), fileURLToPath(import.meta.resolve("@temporalio/worker/package.json"))]) {
    if (fs.existsSync(file) && fs.statSync(file).isFile()) inputs[file] = sha256(file);
  }
  return { code, inputs };
}

const message = await bundle(process.argv[2]!);
process.send!(message, () => process.disconnect());
