#!/usr/bin/env bash
# The `aws` of the tests of labs/sqs-workers/task/worker.sh: sends its arguments and the variables the stand-in reads to
# aws-cli-stand-in.ts, listening on 127.0.0.1:$AWS_CLI_STAND_IN_PORT, then prints its answer and exits with its code.
# Each call is a process of its own, as with the CLI: bash starts in a few milliseconds, node in about fifty, and the
# worker's tests make about 240 calls. A call killed before the answer closes the connection, and takes no message.
set -u
exec 3<>"/dev/tcp/127.0.0.1/$AWS_CLI_STAND_IN_PORT" || exit 255
variables=()
for name in AWS_REGION AWS_DEFAULT_REGION LC_ALL LC_CTYPE LANG AWS_CLI_OUTPUT_ENCODING AWS_CLI_STAND_IN_STATE \
  AWS_CLI_STAND_IN_CALLS AWS_CLI_STAND_IN_DYNAMODB AWS_CLI_STAND_IN_WAIT_SECONDS; do
  [ -z "${!name+set}" ] || variables+=("$name=${!name}")
done
# Fields ended by NUL, which no argument holds: the number of variables, each NAME=value, the number of arguments, each.
printf '%s\0' "${#variables[@]}" "${variables[@]}" "$#" "$@" >&3
IFS= read -r -d '' code <&3 || exit 255
IFS= read -r -d '' stdout <&3
IFS= read -r -d '' stderr <&3
printf '%s' "$stdout"
printf '%s' "$stderr" >&2
exit "$code"
