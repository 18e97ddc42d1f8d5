#!/bin/sh
# SqsWorkersLab's worker: each task of the service that ECS scales on the queue's backlog runs it. It long-polls the
# queue for jobs and works them one at a time, recording each finished job once in the table. The stack runs this text
# in the public AWS CLI v2 image with entryPoint ['/bin/sh', '-c'], so it is POSIX sh and uses only what that image
# has: the CLI, coreutils, sed, awk, grep and curl (no jq).
#
# A job is a message whose body is a JSON object (RFC 8259, nested at most 32 deep) with these members, in any order:
#   "jobId"    a string of 1 to 64 of A-Z a-z 0-9 _ -
#   "seconds"  the work to do: a whole number from 0 to MAX_JOB_SECONDS, in digits (no sign, fraction or exponent)
# e.g. {"jobId": "report-42", "seconds": 30}. Other members are ignored, whatever their values; jobId and seconds may
# each appear once. Anything else is malformed: the worker makes it visible again at once without deleting it, and
# once it has been received maxReceiveCount times, SQS moves it to the dead-letter queue (the worker never sends there).
#
# A job already in the table (a message delivered again) is deleted without being worked. Otherwise the worker sleeps
# its seconds (the work), records {jobId, seconds, worker, finishedAt, receiveCount} unless a record exists, and
# deletes the message. When an AWS call for a job fails, the worker leaves the message to SQS: it is visible again
# after the queue's visibility timeout, and dead-lettered after maxReceiveCount receives.
# On SIGTERM (ECS stopping the task) the worker stops polling; a job in progress is interrupted and its message made
# visible again at once, for another worker.
#
# Environment: QUEUE_URL, TABLE and MAX_JOB_SECONDS (1 to 43200); ECS_CONTAINER_METADATA_URI_V4 (set by Fargate) for
# the task ARN in each record; AWS_REGION (set by Fargate) for the CLI.
# Exit status: 0 stopped by SIGTERM, 2 bad environment. A job's problem never stops the worker.

set -u

# The image sets no locale, and the CLI then writes its output as ASCII and fails on a non-ASCII body
# (aws/aws-cli#6461); its guide asks for a UTF-8 locale (aws help config-vars, Locale).
export LC_ALL=C.UTF-8 AWS_CLI_OUTPUT_ENCODING=UTF-8

tab=$(printf '\t')

bad_input() {
  printf '%s\n' "$1" >&2
  exit 2
}

[ -n "${QUEUE_URL:-}" ] || bad_input 'QUEUE_URL is not set: the URL of the queue of jobs'
case $QUEUE_URL in
  http://?*/?* | https://?*/?*) ;;
  *) bad_input "QUEUE_URL must be a queue's URL, https://sqs.<region>.amazonaws.com/<account>/<queue>, got: $QUEUE_URL" ;;
esac
[ -n "${TABLE:-}" ] || bad_input 'TABLE is not set: the name of the table of finished jobs'
[ -n "${MAX_JOB_SECONDS:-}" ] || bad_input 'MAX_JOB_SECONDS is not set: the most seconds of work a job may ask for'
# 12 hours, SQS's longest visibility timeout: a longer job would be delivered again while it is worked.
case $MAX_JOB_SECONDS in
  0* | *[!0-9]* | ??????*) max_ok= ;;
  *) [ "$MAX_JOB_SECONDS" -le 43200 ] && max_ok=1 || max_ok= ;;
esac
[ -n "$max_ok" ] || bad_input "MAX_JOB_SECONDS must be a whole number from 1 to 43200, got: $MAX_JOB_SECONDS"

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

task_arn=unknown
if [ -z "${ECS_CONTAINER_METADATA_URI_V4:-}" ]; then
  echo 'taskArn unknown: ECS_CONTAINER_METADATA_URI_V4 is not set'
elif metadata=$(curl -fsS --max-time 5 "$ECS_CONTAINER_METADATA_URI_V4/task" 2>&1); then
  task_arn=$(printf '%s\n' "$metadata" | sed -n 's/.*"TaskARN"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')
  [ -n "$task_arn" ] || { task_arn=unknown; echo 'taskArn unknown: the task metadata has no TaskARN'; }
else
  printf 'taskArn unknown: no task metadata: %s\n' "$metadata"
fi

# ECS stops a task with SIGTERM, then SIGKILL after its stop timeout. The shell runs a trap only between commands, so
# the long poll and the work run in the background: `wait` returns at once on the signal, and the trap ends them, with
# KILL: dash's child can miss a TERM sent before it has reset the shell's trap and run the command.
stopping=
child=
trap 'stopping=1; [ -z "$child" ] || kill -s KILL "$child" 2>/dev/null' TERM INT

# interruptible COMMAND...: runs the command in the background and returns its status, or >128 if SIGTERM ended it.
interruptible() {
  [ -z "$stopping" ] || return 143
  "$@" &
  child=$!
  # The trap ran before $! was known.
  [ -z "$stopping" ] || kill -s KILL "$child" 2>/dev/null
  # (Without stderr: the shell's note that it killed the command is no news.)
  wait "$child" 2>/dev/null
  status=$?
  # The signal cut the wait short: wait for the command itself, which the trap ended.
  if [ -n "$stopping" ] && [ "$status" -gt 128 ]; then
    wait "$child" 2>/dev/null
    status=$?
  fi
  child=
  return "$status"
}

# The AWS CLI's message on stderr (in $work/err), on one line.
cli_message() {
  awk 'NF { printf "%s%s", sep, $0; sep = " " }' "$work/err"
}

# The receive's text output is one line, "None" or the message's id, receipt handle and receive count, then its body,
# separated by tabs; a body may hold tabs and newlines, so the body is all the rest of the output. This program reads
# the output as one record (SQS refuses control characters such as \001 in a body) and prints the job in the body,
# "job <jobId> <seconds>", or "malformed <reason>". A recursive-descent parser of JSON (RFC 8259).
parse_job='
function fail(why) {
  if (reason == "") reason = why
  return 0
}
function skip_space() {
  while (p <= n && index(" \t\n\r", substr(s, p, 1))) p++
}
# The string at p; str keeps its first 65 characters with escapes decoded (those outside printable ASCII as "?").
function string(   c, code, i) {
  if (substr(s, p, 1) != "\"") return fail("not JSON")
  str = ""
  len = 0
  for (p++; p <= n; p++) {
    c = substr(s, p, 1)
    if (c == "\"") {
      p++
      kind = "string"
      return 1
    }
    if (index(controls, c)) return fail("not JSON")
    if (c == "\\") {
      c = substr(s, ++p, 1)
      if (c == "u") {
        if (substr(s, p + 1, 4) !~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/) return fail("not JSON")
        code = 0
        for (i = 1; i <= 4; i++) code = code * 16 + index("0123456789abcdef", tolower(substr(s, p + i, 1))) - 1
        p += 4
        c = code >= 32 && code < 127 ? sprintf("%c", code) : "?"
      } else if (c != "" && index("bfnrt", c)) {
        c = "?"
      } else if (c == "" || !index("\"\\/", c)) {
        return fail("not JSON")
      }
    }
    if (++len <= 65) str = str c
  }
  return fail("not JSON")
}
# The value at p; kind says which, token holds a number or literal, and str a string.
function value(depth,   c, start) {
  skip_space()
  c = substr(s, p, 1)
  if (c == "\"") return string()
  if (c == "{" || c == "[") {
    if (depth == 32) return fail("nested deeper than 32")
    if (!(c == "{" ? object(depth + 1) : array(depth + 1))) return 0
    kind = c == "{" ? "object" : "array"
    return 1
  }
  for (start = p; p <= n && index("+-.0123456789Eaeflnrstu", substr(s, p, 1)); p++) ;
  token = substr(s, start, p - start)
  if (token ~ /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) kind = "number"
  else if (token == "true" || token == "false" || token == "null") kind = token
  else return fail("not JSON")
  return 1
}
function object(depth,   c, name) {
  p++
  skip_space()
  if (substr(s, p, 1) == "}") {
    p++
    return 1
  }
  for (;;) {
    skip_space()
    if (!string()) return 0
    name = len <= 64 ? str : ""
    skip_space()
    if (substr(s, p++, 1) != ":") return fail("not JSON")
    if (!value(depth)) return 0
    if (depth == 1 && (name == "jobId" || name == "seconds")) {
      if (name in seen) twice = name
      seen[name] = 1
      if (name == "jobId") {
        job_kind = kind
        job_id = str
        job_length = len
      } else {
        seconds_kind = kind
        seconds = token
      }
    }
    skip_space()
    c = substr(s, p++, 1)
    if (c == "}") return 1
    if (c != ",") return fail("not JSON")
  }
}
function array(depth,   c) {
  p++
  skip_space()
  if (substr(s, p, 1) == "]") {
    p++
    return 1
  }
  for (;;) {
    if (!value(depth)) return 0
    skip_space()
    c = substr(s, p++, 1)
    if (c == "]") return 1
    if (c != ",") return fail("not JSON")
  }
}
# Why the object just parsed is not a job, or "" if it is one.
function not_a_job() {
  if (kind != "object") return "not a JSON object"
  if (twice != "") return twice " appears twice"
  if (!("jobId" in seen)) return "no jobId"
  if (job_kind != "string" || job_length > 64 || job_id !~ /^[A-Za-z0-9_-]+$/) {
    return "jobId is not a string of 1 to 64 of A-Z a-z 0-9 _ -"
  }
  if (!("seconds" in seen)) return "no seconds"
  if (seconds_kind != "number" || seconds !~ /^(0|[1-9][0-9]*)$/ || length(seconds) > 5 || seconds + 0 > max + 0) {
    return "seconds is not a whole number from 0 to " max
  }
  return ""
}
BEGIN {
  RS = "\001"
  for (i = 1; i < 32; i++) controls = controls sprintf("%c", i)
}
{
  sub(/^[^\t]*\t[^\t]*\t[^\t]*\t/, "")
  s = $0
  n = length(s)
  p = 1
  if (value(0)) {
    skip_space()
    if (p <= n) fail("not JSON")
  }
  if (reason == "") reason = not_a_job()
  print (reason == "" ? "job " job_id " " seconds : "malformed " reason)
  exit
}'

# Makes the message visible again at once, for the next receive (this worker's or another's). Says why it failed.
make_visible() {
  aws sqs change-message-visibility --queue-url "$QUEUE_URL" --receipt-handle "$handle" --visibility-timeout 0 \
    2>"$work/err" && return
  printf 'failed: making %s visible again: %s\n' "$1" "$(cli_message)" >&2
  return 1
}

# The job in progress goes back to the queue, and the worker stops.
stop_job() {
  make_visible "$job_id" && printf 'stopped: %s returned to the queue\n' "$job_id"
  exit 0
}

delete_message() {
  aws sqs delete-message --queue-url "$QUEUE_URL" --receipt-handle "$handle" 2>"$work/err" ||
    printf 'failed: deleting the message of %s: %s\n' "$job_id" "$(cli_message)" >&2
}

printf 'worker %s polling %s for jobs of at most %s s\n' "$task_arn" "$QUEUE_URL" "$MAX_JOB_SECONDS"
while [ -z "$stopping" ]; do
  if ! interruptible aws sqs receive-message --queue-url "$QUEUE_URL" --max-number-of-messages 1 \
    --wait-time-seconds 20 --attribute-names ApproximateReceiveCount \
    --query 'Messages[0].[MessageId,ReceiptHandle,Attributes.ApproximateReceiveCount,Body]' --output text \
    >"$work/message" 2>"$work/err"; then
    [ -z "$stopping" ] || break
    printf 'failed: receiving from %s: %s\n' "$QUEUE_URL" "$(cli_message)" >&2
    # Not at full speed while the queue or the network fails.
    interruptible sleep 5
    continue
  fi
  message_id= handle= count=
  IFS=$tab read -r message_id handle count _ <"$work/message"
  [ "$message_id" != None ] || continue

  job=$(LC_ALL=C awk -v max="$MAX_JOB_SECONDS" "$parse_job" "$work/message")
  case $job in
    'job '*) ;;
    *)
      printf 'malformed: %s (receive %s): %s\n' "$message_id" "$count" "${job#malformed }"
      make_visible "$message_id"
      continue
      ;;
  esac
  job=${job#job }
  job_id=${job% *} seconds=${job#* }
  # Received as SIGTERM came.
  [ -z "$stopping" ] || stop_job

  # SQS delivers a message at least once, and again when a worker stopped before deleting it.
  if ! found=$(aws dynamodb get-item --table-name "$TABLE" --key "{\"jobId\":{\"S\":\"$job_id\"}}" --consistent-read \
    --query 'Item != `null`' --output text 2>"$work/err"); then
    printf 'failed: looking up %s: %s\n' "$job_id" "$(cli_message)" >&2
    continue
  fi
  if [ "$found" = True ]; then
    printf 'already done: %s\n' "$job_id"
    delete_message
    continue
  fi
  [ -z "$stopping" ] || stop_job

  printf 'working: %s (%s s, receive %s)\n' "$job_id" "$seconds" "$count"
  interruptible sleep "$seconds" || stop_job

  item="{\"jobId\":{\"S\":\"$job_id\"},\"seconds\":{\"N\":\"$seconds\"},\"worker\":{\"S\":\"$task_arn\"}"
  item="$item,\"finishedAt\":{\"S\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"},\"receiveCount\":{\"N\":\"$count\"}}"
  if aws dynamodb put-item --table-name "$TABLE" --item "$item" --condition-expression 'attribute_not_exists(jobId)' \
    >/dev/null 2>"$work/err"; then
    printf 'done: %s\n' "$job_id"
  elif grep -q '(ConditionalCheckFailedException)' "$work/err"; then
    # Another worker received the message again after the visibility timeout, and finished first.
    printf 'done by another worker: %s\n' "$job_id"
  else
    printf 'failed: recording %s: %s\n' "$job_id" "$(cli_message)" >&2
    continue
  fi
  delete_message
done
echo 'stopped: no job in progress'
exit 0
