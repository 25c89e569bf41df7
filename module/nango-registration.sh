#!/bin/sh
# Keeps one Nango integration in step with its Entra app registration. Terraform runs it from the
# local-exec provisioners of the NangoRegistration construct, only during apply and destroy, never
# during plan (see docs/nango-registration.md).
#
#   sh nango-registration.sh upsert   create the integration, or update it in place
#   sh nango-registration.sh delete   delete the integration; "not found" counts as done
#
# Environment: KINDO_INTEGRATION, NANGO_SERVER_URL, NANGO_UNIQUE_KEY, NANGO_PROVIDER,
# NANGO_SECRET_KEY and, for upsert, NANGO_POST_BODY, NANGO_PATCH_BODY and NANGO_CLIENT_SECRET.
# Needs a POSIX sh, curl, awk, grep and mktemp.
set -eu

action=${1:-}
case $action in upsert | delete) ;; *) echo "usage: nango-registration.sh upsert|delete" >&2; exit 2 ;; esac
required="KINDO_INTEGRATION NANGO_SERVER_URL NANGO_UNIQUE_KEY NANGO_SECRET_KEY"
[ "$action" = delete ] || required="$required NANGO_PROVIDER NANGO_POST_BODY NANGO_PATCH_BODY NANGO_CLIENT_SECRET"
for name in $required; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || { echo "nango-registration.sh: $name is not set" >&2; exit 2; }
done

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# Secrets reach curl through files: a command line is visible to every user through ps.
printf 'header = "Authorization: Bearer %s"\n' "$NANGO_SECRET_KEY" >"$work/auth"
printf '%s' "${NANGO_POST_BODY:-}" >"$work/post.json"
printf '%s' "${NANGO_PATCH_BODY:-}" >"$work/patch.json"
base="${NANGO_SERVER_URL%/}/integrations"
key=$NANGO_UNIQUE_KEY

# Terraform prints a failed provisioner's output in full even when its inputs are sensitive,
# so every secret is replaced before anything reaches the output.
redact() {
  awk 'BEGIN { split("NANGO_SECRET_KEY NANGO_CLIENT_SECRET", names, " ") }
    { for (i in names) { s = ENVIRON[names[i]]; if (s == "") continue
        while ((p = index($0, s)) > 0) $0 = substr($0, 1, p - 1) "[redacted]" substr($0, p + length(s)) }
      print }'
}

# call METHOD URL [BODY_FILE]: sets $status to the HTTP status; the body lands in $work/response.
call() {
  method=$1 url=$2
  if [ -n "${3:-}" ]; then set -- --header 'Content-Type: application/json' --data-binary "@$3"; else set --; fi
  if ! status=$(curl --silent --show-error --connect-timeout 10 --max-time 60 --config "$work/auth" \
    --request "$method" --output "$work/response" --write-out '%{http_code}' "$@" "$url" 2>"$work/curl-error"); then
    echo "Kindo integration '$KINDO_INTEGRATION': $method $url did not reach Nango: $(redact <"$work/curl-error")" >&2
    exit 1
  fi
}

fail() {
  echo "Kindo integration '$KINDO_INTEGRATION': Nango answered $method $url with HTTP $status: $(redact <"$work/response")" >&2
  exit 1
}

case $action in
upsert)
  call GET "$base/$key"
  case $status in
  404)
    call POST "$base" "$work/post.json"
    [ "$status" = 200 ] || [ "$status" = 201 ] || fail
    echo "Nango integration '$key' created"
    ;;
  200)
    # Nango cannot change an integration's provider in place (PATCH has no provider field).
    if ! grep -Eq "\"provider\" *: *\"$NANGO_PROVIDER\"" "$work/response"; then
      echo "Kindo integration '$KINDO_INTEGRATION': Nango integration '$key' uses another provider than '$NANGO_PROVIDER', and Nango cannot change a provider in place; delete the integration in Nango (its connections go with it) and apply again" >&2
      exit 1
    fi
    call PATCH "$base/$key" "$work/patch.json"
    [ "$status" = 200 ] || fail
    echo "Nango integration '$key' updated"
    ;;
  *) fail ;;
  esac
  ;;
delete)
  call DELETE "$base/$key"
  case $status in
  200 | 204) echo "Nango integration '$key' deleted" ;;
  404) echo "Nango integration '$key' was already gone" ;;
  *) fail ;;
  esac
  ;;
esac
