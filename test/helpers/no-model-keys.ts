// Tests never call a real model (issue 10): the example agent picks Anthropic or OpenAI when
// their key is set, so every key and tracing setting of a model provider leaves this test
// process before any test runs. Stacks in this process, and the servers and workers it starts
// (they get this process's environment), then all run the scripted model.
const MODEL_SETTINGS = /_API_KEY$|^(LANGSMITH|LANGCHAIN)_|^ANTHROPIC_|^OPENAI_/;

for (const name of Object.keys(process.env)) {
  if (MODEL_SETTINGS.test(name)) delete process.env[name];
}
