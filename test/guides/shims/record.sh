#!/usr/bin/env bash
# Usage: record.sh <tool> [args...]
# Stands in for a tool a guide runs other than aws (npx, npm, curl, session-manager-plugin) when the guide tests run
# its command blocks: appends the tool's name and arguments to $GUIDE_LOG as one JSON line and succeeds, printing
# nothing. Bash, not node: a guide run calls these about seventy times, and node takes 0.2 s of CPU to start.

# One JSON string; the guides' arguments have no control characters other than these three.
json_string() {
  local text=$1
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  text=${text//$'\n'/\\n}
  text=${text//$'\t'/\\t}
  text=${text//$'\r'/\\r}
  json="\"$text\""
}

json_string "$1"
record="{\"tool\":$json,\"args\":["
shift
separator=
for arg in "$@"; do
  json_string "$arg"
  record+="$separator$json"
  separator=,
done
printf '%s],"exit":0}\n' "$record" >> "$GUIDE_LOG"
