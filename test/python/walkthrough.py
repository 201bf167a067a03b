"""The LangGraph background-run walkthrough with the official Python client (spec §7).

Run: python3 test/python/walkthrough.py <api url>. Exits non-zero on the first failed check.
"""

import asyncio
import sys

from langgraph_sdk import get_client

AGENT_ASSISTANT_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
INPUT = {"messages": [{"role": "user", "content": "what's the weather in sf"}]}


async def main(url: str) -> None:
    client = get_client(url=url)

    thread = await client.threads.create()
    assert thread["status"] == "idle", thread
    assert thread["metadata"] == {} and thread["values"] is None, thread

    assert await client.runs.list(thread["thread_id"]) == []

    run = await client.runs.create(thread["thread_id"], "agent", input=INPUT)
    assert run["status"] == "pending", run
    assert run["assistant_id"] == AGENT_ASSISTANT_ID, run
    assert run["multitask_strategy"] == "reject", run
    assert run["kwargs"]["input"] == INPUT, run

    polled = await client.runs.get(thread["thread_id"], run["run_id"])
    assert polled["run_id"] == run["run_id"]
    assert polled["status"] in ("pending", "running", "success"), polled

    final = await client.runs.join(thread["thread_id"], run["run_id"])
    assert len(final["messages"]) == 4, final

    done = await client.runs.get(thread["thread_id"], run["run_id"])
    assert done["status"] == "success", done
    assert (await client.threads.get(thread["thread_id"]))["status"] == "idle"

    state = await client.threads.get_state(thread["thread_id"])
    messages = state["values"]["messages"]
    assert [m["type"] for m in messages] == ["human", "ai", "tool", "ai"], messages
    assert messages[1]["tool_calls"][0]["name"] == "search"
    assert messages[2]["tool_call_id"] == messages[1]["tool_calls"][0]["id"]
    assert state["next"] == [] and state["tasks"] == []
    assert state["metadata"]["step"] == 3 and state["metadata"]["run_id"] == run["run_id"]
    assert state["checkpoint"]["checkpoint_id"] != state["parent_checkpoint"]["checkpoint_id"]
    assert final == state["values"]

    print(messages[-1]["content"])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
