"""Crons with the official Python client (issue 14): create, search, count, update, delete.

Run: python3 test/python/crons.py <api url>. Exits non-zero on the first failed check.
"""

import asyncio
import sys
import time
from datetime import datetime, timedelta, timezone

from langgraph_sdk import get_client

INPUT = {"messages": [{"role": "user", "content": "tick"}]}


async def main(url: str) -> None:
    client = get_client(url=url)
    thread = await client.threads.create()
    tag = f"py-{time.time()}"

    cron = await client.crons.create_for_thread(
        thread["thread_id"], "echo-messages", schedule="*/2 * * * * * *", input=INPUT, metadata={"tag": tag}
    )
    assert cron["thread_id"] == thread["thread_id"] and cron["enabled"] is True, cron
    stateless = await client.crons.create(
        "echo-messages",
        schedule="0 9 * * 1",
        input=INPUT,
        metadata={"tag": tag},
        end_time=datetime.now(timezone.utc) + timedelta(days=7),
        on_run_completed="keep",
        timezone="Europe/Paris",
    )
    assert stateless["thread_id"] is None and stateless["on_run_completed"] == "keep", stateless
    assert stateless["timezone"] == "Europe/Paris" and stateless["end_time"], stateless

    found = await client.crons.search(metadata={"tag": tag}, sort_by="created_at", sort_order="asc")
    assert [c["cron_id"] for c in found] == [cron["cron_id"], stateless["cron_id"]], found
    assert await client.crons.count(thread_id=thread["thread_id"]) == 1

    for _ in range(60):
        runs = await client.runs.list(thread["thread_id"])
        if any(run["status"] == "success" for run in runs):
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the cron never ran")

    updated = await client.crons.update(stateless["cron_id"], schedule="0 10 * * 1", end_time=None, enabled=False)
    assert updated["schedule"] == "0 10 * * 1" and updated["end_time"] is None and updated["enabled"] is False, updated

    await client.crons.delete(cron["cron_id"])
    await client.crons.delete(stateless["cron_id"])
    assert await client.crons.count(metadata={"tag": tag}) == 0
    print("crons ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
