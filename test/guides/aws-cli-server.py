"""The AWS CLI v2 kept loaded for the guide tests: one process runs every `aws` command of a run, in turn.

Each `aws` process spends most of a second importing the CLI; a guide run calls it about forty times. The
`aws` stand-in (shims/aws-kept-loaded.py) sends this server the command line, the environment and the folder of the
student's shell; the server runs the CLI's own entry point on them, with a new botocore session as a new
process would have, and answers with what the CLI printed, its exit code, and the operations it sent.

Run with the interpreter of the CLI's own script (its #! line), one argument: the Unix socket to listen on.
One request per connection, one JSON line each way.
"""
import io
import json
import os
import socket
import sys

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


def serve(socket_path):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)
    # The test waits for this line before it runs a guide.
    print("listening", flush=True)
    while True:
        connection, _ = server.accept()
        with connection, connection.makefile("rwb") as stream:
            request = json.loads(stream.readline())
            stream.write(json.dumps(run(request)).encode("utf-8") + b"\n")


if __name__ == "__main__":
    serve(sys.argv[1])
