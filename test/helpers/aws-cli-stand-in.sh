#!/usr/bin/env bash
# The `aws` of the tests of the labs' task scripts: sends its arguments and its environment to the AWS CLI stand-in the
# test runs (aws-cli-stand-in.ts), listening on 127.0.0.1:$AWS_CLI_STAND_IN_PORT, then prints the answer and exits
# with its code. Each call is a process of its own, as with the CLI: bash starts in a few milliseconds where node took
# about fifty. A call killed before its answer closes the connection, and the stand-in drops it.
set -u
exec 3<>"/dev/tcp/127.0.0.1/$AWS_CLI_STAND_IN_PORT" || exit 255
variables=()
for name in $(compgen -e); do
  variables+=("$name=${!name}")
done
# Fields ended by NUL, which no argument holds: the number of variables, each NAME=value, the number of arguments, each.
printf '%s\0' "${#variables[@]}" "${variables[@]}" "$#" "$@" >&3
IFS= read -r -d '' code <&3 || exit 255
IFS= read -r -d '' stdout <&3
IFS= read -r -d '' stderr <&3
printf '%s' "$stdout"
printf '%s' "$stderr" >&2
exit "$code"
