"""The AWS CLI v2 kept loaded for the guide tests: one process runs every `aws` command of a run, in turn.

Each `aws` process spends most of a second importing the CLI; a guide run calls it about forty times. The `aws`
stand-in (test/helpers/aws-cli-stand-in.sh) sends this server the folder, the environment and the command line of the
student's shell; the server runs the CLI's own entry point on them, against the local recorder ($GUIDE_ENDPOINT,
replacing any --endpoint-url of the guide), with a new botocore session as a new process would have. It appends the
command and what happened to $GUIDE_LOG as one JSON line, and answers with the CLI's exit code and what it printed.

Run with the interpreter of the CLI's own script (its #! line). It listens on a free port of 127.0.0.1 and prints
"listening <port>". One request per connection: fields ended by NUL each way (aws-cli-stand-in.sh says which).
"""
import io
import itertools
import json
import os
import socket
import sys
import time

import awscli.clidriver

import botocore.session

# What `import awscli` adds to AWS_DATA_PATH (the CLI's own data) in a process of its own.
CLI_DATA_PATH = os.environ["AWS_DATA_PATH"]

_loaders = {}
_create_loader = botocore.session.create_loader


def _shared_loader(search_path_string=None):
    """Each command gets a new session, as in a process of its own; the service models it reads stay loaded."""
    if search_path_string not in _loaders:
        _loaders[search_path_string] = _create_loader(search_path_string)
    return _loaders[search_path_string]


botocore.session.create_loader = _shared_loader


_calls = itertools.count(1)


def cli_arguments(args, endpoint):
    """The guide's arguments, sent to the local recorder instead of any --endpoint-url the guide names."""
    kept = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--endpoint-url":
            skip = True
        elif not arg.startswith("--endpoint-url="):
            kept.append(arg)
    return kept + ["--endpoint-url", endpoint]


def answer(cwd, env, args):
    """Runs one command; logs it with the operations it sent, and returns its exit code, stdout and stderr."""
    # The recorder ties each request to its command by the execution environment in the user agent.
    call = f"guide-call-{os.getpid()}-{next(_calls)}-{time.time_ns()}"
    result = run({
        "args": cli_arguments(args, env["GUIDE_ENDPOINT"]),
        "env": dict(env, AWS_EXECUTION_ENV=call),
        "cwd": cwd,
    })
    record = {
        "tool": "aws", "args": args, "exit": result["exit"], "call": call, "operations": result["operations"],
        "stdout": result["stdout"], "stderr": result["stderr"].strip(),
    }
    with open(env["GUIDE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
    return result


def run(request):
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(
        [os.path.expanduser(os.path.expandvars(p))
         for p in request["env"].get("AWS_DATA_PATH", "").split(os.pathsep) if p]
        + [CLI_DATA_PATH])
    os.chdir(request["cwd"])
    operations = []
    out, err = io.BytesIO(), io.BytesIO()
    # Kept in locals: a text wrapper that is collected closes its buffer.
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="replace", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        driver = awscli.clidriver.create_clidriver(request["args"])
        driver.session.register(
            "before-call", lambda model, **_: operations.append(model.name))
        try:
            exit_code = awscli.clidriver.AWSCLIEntryPoint(driver).main(request["args"])
        except SystemExit as stop:
            exit_code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.stdout, sys.stderr = saved
    return {
        "exit": exit_code or 0,
        "stdout": out.getvalue().decode("utf-8", "replace"),
        "stderr": err.getvalue().decode("utf-8", "replace"),
        "operations": operations,
    }


def read_request(connection):
    """The folder, the environment and the arguments: fields ended by NUL, with the number of variables and of
    arguments before them."""
    received = b""
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        received += chunk
        fields = [field.decode("utf-8", "surrogateescape") for field in received.split(b"\0")[:-1]]
        if len(fields) < 2 or len(fields) < int(fields[1]) + 3:
            continue
        variables = int(fields[1])
        count = int(fields[variables + 2])
        if len(fields) < variables + 3 + count:
            continue
        env = dict(variable.split("=", 1) for variable in fields[2:variables + 2])
        return fields[0], env, fields[variables + 3:variables + 3 + count]


def serve():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    # The test waits for this line before it runs a guide.
    print(f"listening {server.getsockname()[1]}", flush=True)
    while True:
        connection, _ = server.accept()
        with connection:
            request = read_request(connection)
            if request is None:
                continue
            result = answer(*request)
            connection.sendall(f"{result['exit']}\0{result['stdout']}\0{result['stderr']}\0".encode("utf-8"))


if __name__ == "__main__":
    serve()
