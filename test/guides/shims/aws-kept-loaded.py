"""Stands in for `aws` in the guide tests while aws-cli-server.py runs (its socket in $GUIDE_AWS_CLI_SOCKET).

Sends the command line, with the local recorder as endpoint ($GUIDE_ENDPOINT, replacing any --endpoint-url of the
guide), the shell's environment and folder to the server; prints what the CLI printed, exits with its code, and
appends the command and what happened to $GUIDE_LOG as one JSON line. Python, not node: it starts in a fifth of
the time, and a guide run calls `aws` about forty times.
"""
import json
import os
import socket
import sys
import time

args = sys.argv[1:]
cli_args = []
skip = False
for arg in args:
    if skip:
        skip = False
    elif arg == "--endpoint-url":
        skip = True
    elif not arg.startswith("--endpoint-url="):
        cli_args.append(arg)

# The recorder ties each request to its command by the execution environment in the user agent.
call = f"guide-call-{os.getpid()}-{time.time_ns()}"
request = {
    "args": cli_args + ["--endpoint-url", os.environ["GUIDE_ENDPOINT"]],
    "env": dict(os.environ, AWS_EXECUTION_ENV=call),
    "cwd": os.getcwd(),
}
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
    connection.connect(os.environ["GUIDE_AWS_CLI_SOCKET"])
    connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
    answer = json.loads(connection.makefile("rb").readline())

sys.stdout.buffer.write(answer["stdout"].encode("utf-8"))
sys.stderr.buffer.write(answer["stderr"].encode("utf-8"))
record = {
    "tool": "aws", "args": args, "exit": answer["exit"], "call": call, "operations": answer["operations"],
    "stdout": answer["stdout"], "stderr": answer["stderr"].strip(),
}
with open(os.environ["GUIDE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(record) + "\n")
sys.exit(answer["exit"])
