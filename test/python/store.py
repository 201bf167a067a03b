"""The store with the official Python client (langgraph-sdk): put, get, search, list, delete."""
import asyncio
import json
import sys

from langgraph_sdk import get_client


async def main(url: str) -> None:
    client = get_client(url=url)
    await client.store.put_item(["py-ns"], "py", {"lang": "python"})
    item = await client.store.get_item(["py-ns"], "py")
    found = await client.store.search_items(["py-ns"], filter={"lang": "python"})
    listed = await client.store.list_namespaces(prefix=["py-ns"])
    await client.store.delete_item(["py-ns"], "py")
    assert await client.store.get_item(["py-ns"], "py") is None
    print(json.dumps({"value": item["value"], "keys": [i["key"] for i in found["items"]], "namespaces": listed["namespaces"]}))


asyncio.run(main(sys.argv[1]))
