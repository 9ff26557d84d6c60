#!/usr/bin/env python3
"""Starts `ci-companion serve` and times it from the start to its first 200 answer.

Usage: first_answer.py LOG QUERY -- APP serve ARGS...

The server's output goes to LOG; once it prints the address it listens on, keel's QUERY is
asked there. The poll of LOG costs microseconds, so unlike a loop of curl processes it takes
no CPU from the server while it loads. Prints "MILLISECONDS PID", then the answer; the
server is left running for the throughput run.
"""
import http.client
import re
import subprocess
import sys
import time


def main():
    log_path, query = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]

    started = time.monotonic()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    address = None
    while address is None:
        if server.poll() is not None:
            sys.exit(f"serve exited with {server.returncode}:\n" + open(log_path).read())
        match = re.search(r"listening on http://([\d.]+):(\d+)", open(log_path).read())
        if match:
            address = (match.group(1), int(match.group(2)))
        else:
            time.sleep(0.001)

    connection = http.client.HTTPConnection(*address, timeout=10)
    connection.request("GET", query)
    response = connection.getresponse()
    body = response.read().decode()
    elapsed_ms = (time.monotonic() - started) * 1000
    if response.status != 200:
        server.kill()
        sys.exit(f"the first answer is {response.status}: {body[:200]}")
    print(f"{elapsed_ms:.0f} {server.pid}")
    print(body)


if __name__ == "__main__":
    main()
