// A one-node graph that greets the authenticated user: the user reaches every node as
// `config.configurable.langgraph_auth_user` (identity, permissions and any extra fields).
import { Annotation, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";

const State = Annotation.Root({
  greeting: Annotation<string>(),
});

export const graph = new StateGraph(State)
  .addNode("greet", (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const user = config.configurable?.langgraph_auth_user as { identity: string; permissions: string[] } | undefined;
    return { greeting: user ? `Hello ${user.identity} (${user.permissions.join(", ")})` : "Hello, whoever you are" };
  })
  .addEdge("__start__", "greet")
  .compile();
