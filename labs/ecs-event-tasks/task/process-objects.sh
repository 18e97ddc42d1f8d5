#!/bin/sh
# EcsEventTasksLab's task: records in the table the metadata of each object uploaded to the bucket under KEY_PREFIX,
# once per object version. The stack runs this text in the public AWS CLI v2 image with entryPoint ['/bin/sh', '-c'],
# so it is POSIX sh and uses only what that image has: the CLI, coreutils, sed, awk, grep and curl (no jq).
#
#   KEY set    one object, from the rule's S3 "Object Created" event (VERSION_ID: the event's version-id)
#   KEY unset  a sweep: every current object under KEY_PREFIX gets a record if it has none
#
# Environment: BUCKET, TABLE, KEY_PREFIX (required); TRIGGER (upload, schedule or manual; default manual); KEY and
# VERSION_ID; ECS_CONTAINER_METADATA_URI_V4 (set by Fargate) for the task ARN in each record.
# Exit status: 0 done (an object already recorded or gone is not a failure), 1 an AWS call failed, 2 bad input.

set -u

# The image sets no locale, and the CLI then writes its output as ASCII and fails on a non-ASCII key (aws/aws-cli#6461);
# its guide asks for a UTF-8 locale for such keys (aws help config-vars, Locale).
export LC_ALL=C.UTF-8 AWS_CLI_OUTPUT_ENCODING=UTF-8

tab=$(printf '\t')

bad_input() {
  printf '%s\n' "$1" >&2
  exit 2
}

[ -n "${BUCKET:-}" ] || bad_input 'BUCKET is not set: the name of the bucket'
[ -n "${TABLE:-}" ] || bad_input 'TABLE is not set: the name of the table'
[ -n "${KEY_PREFIX:-}" ] || bad_input 'KEY_PREFIX is not set: the prefix of the keys to record, e.g. incoming/'
KEY=${KEY:-}
VERSION_ID=${VERSION_ID:-}
TRIGGER=${TRIGGER:-manual}
case $TRIGGER in
  upload | schedule | manual) ;;
  *) bad_input "TRIGGER must be upload, schedule or manual, got: $TRIGGER" ;;
esac
[ -n "$KEY" ] || [ -z "$VERSION_ID" ] || bad_input "VERSION_ID is set ($VERSION_ID) but KEY is not"
if [ -n "$KEY" ]; then
  case $KEY in
    "$KEY_PREFIX"*) ;;
    *) bad_input "refused: $KEY is outside KEY_PREFIX $KEY_PREFIX" ;;
  esac
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

task_arn=unknown
if [ -z "${ECS_CONTAINER_METADATA_URI_V4:-}" ]; then
  echo 'taskArn unknown: ECS_CONTAINER_METADATA_URI_V4 is not set'
elif metadata=$(curl -fsS --max-time 5 "$ECS_CONTAINER_METADATA_URI_V4/task" 2>&1); then
  task_arn=$(printf '%s\n' "$metadata" | sed -n 's/.*"TaskARN"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
  [ -n "$task_arn" ] || { task_arn=unknown; echo 'taskArn unknown: the task metadata has no TaskARN'; }
else
  printf 'taskArn unknown: no task metadata: %s\n' "$metadata"
fi

# The AWS CLI's message on stderr (in $work/err), on one line.
cli_message() {
  awk 'NF { printf "%s%s", sep, $0; sep = " " }' "$work/err"
}

# The text as a JSON string's content. Keys may hold any character but NUL.
json_string() {
  printf '%s\n' "$1" | awk '
    function replace(text, from, to,   out, at) {
      out = ""
      while ((at = index(text, from)) > 0) {
        out = out substr(text, 1, at - 1) to
        text = substr(text, at + length(from))
      }
      return out text
    }
    {
      line = replace(replace($0, "\\", "\\\\"), "\"", "\\\"")
      for (code = 1; code < 32; code++) line = replace(line, sprintf("%c", code), sprintf("\\u%04x", code))
      printf "%s%s", (NR > 1 ? "\\n" : ""), line
    }'
}

# record KEY VERSION SIZE ETAG: the conditional write. Sets outcome to recorded, already or failed.
record() {
  item="{\"objectKey\":{\"S\":\"$(json_string "$1")\"},\"versionId\":{\"S\":\"$2\"},\"bucket\":{\"S\":\"$BUCKET\"}"
  item="$item,\"size\":{\"N\":\"$3\"},\"etag\":{\"S\":\"$4\"},\"taskArn\":{\"S\":\"$task_arn\"}"
  item="$item,\"processedAt\":{\"S\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"},\"trigger\":{\"S\":\"$TRIGGER\"}}"
  if aws dynamodb put-item --table-name "$TABLE" --item "$item" \
    --condition-expression 'attribute_not_exists(objectKey)' >/dev/null 2>"$work/err"; then
    outcome=recorded
    printf 'recorded: %s (version %s)\n' "$1" "$2"
  elif grep -q '(ConditionalCheckFailedException)' "$work/err"; then
    # A duplicate event, or a sweep after the upload's own task.
    outcome=already
    printf 'already recorded: %s (version %s)\n' "$1" "$2"
  else
    outcome=failed
    printf 'failed: %s (version %s): %s\n' "$1" "$2" "$(cli_message)" >&2
  fi
}

# The values as S3 gives them in text output: ETag in double quotes, VersionId None when the bucket has none.
normalise() {
  etag=${etag#\"}
  etag=${etag%\"}
  case $version in '' | None) version=null ;; esac
}

if [ -n "$KEY" ]; then
  set -- --bucket "$BUCKET" --key "$KEY"
  [ -z "$VERSION_ID" ] || set -- "$@" --version-id "$VERSION_ID"
  if ! answer=$(aws s3api head-object "$@" --query '[ContentLength,ETag,VersionId]' --output text 2>"$work/err"); then
    if grep -q 'An error occurred (404) when calling the HeadObject operation' "$work/err"; then
      # Deleted since the event (or that version was): nothing to record.
      printf 'gone: %s%s\n' "$KEY" "${VERSION_ID:+ (version $VERSION_ID)}"
      exit 0
    fi
    printf 'failed: %s%s: %s\n' "$KEY" "${VERSION_ID:+ (version $VERSION_ID)}" "$(cli_message)" >&2
    exit 1
  fi
  IFS=$tab read -r size etag version <<EOF
$answer
EOF
  normalise
  record "$KEY" "$version" "$size" "$etag"
  [ "$outcome" != failed ] || exit 1
  exit 0
fi

# One line per page of up to 1,000 versions and delete markers: the latest versions' Key, VersionId, Size and ETag
# separated by tabs, or None for a page without versions. A key holding a tab or a newline breaks its line.
if ! aws s3api list-object-versions --bucket "$BUCKET" --prefix "$KEY_PREFIX" \
  --query 'Versions[?IsLatest].[Key,VersionId,Size,ETag]' --output text >"$work/list" 2>"$work/err"; then
  printf 'failed: listing s3://%s/%s: %s\n' "$BUCKET" "$KEY_PREFIX" "$(cli_message)" >&2
  exit 1
fi
recorded=0 already=0 failed=0
while IFS=$tab read -r key version size etag <&3; do
  [ "$key" = None ] && [ -z "$version" ] && continue
  case $key in
    "$KEY_PREFIX"*)
      case $size in
        '' | *[!0-9]*) outcome=unreadable ;;
        *) normalise; record "$key" "$version" "$size" "$etag" ;;
      esac
      ;;
    *) outcome=unreadable ;;
  esac
  case $outcome in
    recorded) recorded=$((recorded + 1)) ;;
    already) already=$((already + 1)) ;;
    failed) failed=$((failed + 1)) ;;
    unreadable)
      failed=$((failed + 1))
      printf 'failed: unreadable line in the listing (a key with a tab or a newline?): %s\n' "$key" >&2
      ;;
  esac
done 3<"$work/list"
printf 'sweep of s3://%s/%s: %d recorded, %d already recorded, %d failed\n' \
  "$BUCKET" "$KEY_PREFIX" "$recorded" "$already" "$failed"
[ "$failed" -eq 0 ] || exit 1
