#!/usr/bin/env python3
"""The benchmark's asset: on each connection, waits for one byte from the client, then sends
FILE (with sendfile) and closes. Idle connections cost one asyncio transport each.
usage: upstream.py PORT FILE"""
import asyncio, sys

PORT, FILE = int(sys.argv[1]), sys.argv[2]


async def serve(reader, writer):
    try:
        if await reader.read(1):
            with open(FILE, "rb") as f:
                await asyncio.get_running_loop().sendfile(writer.transport, f)
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", PORT, backlog=4096)
    async with server:
        await server.serve_forever()

asyncio.run(main())
