#!/usr/bin/env bash
# The `aws` of the tests that stand in for the AWS CLI (the task scripts' tests, and the guide tests with the CLI kept
# loaded): sends its folder, its environment and its arguments to the server the test runs, on
# 127.0.0.1:$AWS_CLI_STAND_IN_PORT, then prints the answer and exits with its code. Each call is a process of its own,
# as with the CLI: bash starts in a few milliseconds where node or Python took 35 to 50. A call killed before its
# answer closes the connection, and the server drops it.
set -u
exec 3<>"/dev/tcp/127.0.0.1/$AWS_CLI_STAND_IN_PORT" || exit 255
variables=()
for name in $(compgen -e); do
  variables+=("$name=${!name}")
done
# Fields ended by NUL, which no argument holds: the folder, the number of variables, each NAME=value, the number of
# arguments, each argument.
printf '%s\0' "$PWD" "${#variables[@]}" "${variables[@]}" "$#" "$@" >&3
IFS= read -r -d '' code <&3 || exit 255
IFS= read -r -d '' stdout <&3
IFS= read -r -d '' stderr <&3
printf '%s' "$stdout"
printf '%s' "$stderr" >&2
exit "$code"
