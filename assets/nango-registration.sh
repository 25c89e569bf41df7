#!/bin/sh
# Keeps one Nango integration in step with its Entra app registration. Terraform runs it from the
# local-exec provisioners of the NangoRegistration construct, only during apply and destroy, never
# during plan (see docs/nango-registration.md).
#
#   sh nango-registration.sh claim    create the integration; an existing one only with NANGO_ADOPT=true
#   sh nango-registration.sh sync     update the integration this state registered, in place
#   sh nango-registration.sh rename   rename it from NANGO_UNIQUE_KEY to NANGO_NEW_UNIQUE_KEY (destroy time)
#   sh nango-registration.sh delete   delete it; "not found" counts as done (destroy time)
#
# Environment: KINDO_INTEGRATION, NANGO_SERVER_URL, NANGO_UNIQUE_KEY; for claim and sync also
# NANGO_SECRET_KEY, NANGO_PROVIDER, NANGO_CLIENT_SECRET and NANGO_POST_BODY (claim) or
# NANGO_PATCH_BODY and NANGO_REGISTRATION_ADDRESS (sync). Destroy-time provisioners may reference
# nothing but their own object, so rename and delete take the Nango secret key from Terraform's
# own environment, TF_VAR_nango_secret_key.
# Needs a POSIX sh, curl, awk, grep, od and mktemp.
set -eu

action=${1:-}
case $action in
claim) required="NANGO_SECRET_KEY NANGO_PROVIDER NANGO_CLIENT_SECRET NANGO_POST_BODY" ;;
sync) required="NANGO_SECRET_KEY NANGO_PROVIDER NANGO_CLIENT_SECRET NANGO_PATCH_BODY NANGO_REGISTRATION_ADDRESS" ;;
rename) required="NANGO_NEW_UNIQUE_KEY" ;;
delete) required="" ;;
*) echo "usage: nango-registration.sh claim|sync|rename|delete" >&2; exit 2 ;;
esac
for name in KINDO_INTEGRATION NANGO_SERVER_URL NANGO_UNIQUE_KEY $required; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || { echo "nango-registration.sh: $name is not set" >&2; exit 2; }
done
key=$NANGO_UNIQUE_KEY
who="Kindo integration '$KINDO_INTEGRATION'"

case $action in
rename | delete)
  # Nothing to rename: the object is replaced for another reason, or destroyed with its key unchanged.
  [ "$action" = rename ] && [ "$NANGO_NEW_UNIQUE_KEY" = "$key" ] && exit 0
  NANGO_SECRET_KEY=${TF_VAR_nango_secret_key:-}
  if [ -z "$NANGO_SECRET_KEY" ]; then
    echo "$who: cannot $action Nango integration '$key' at $NANGO_SERVER_URL: TF_VAR_nango_secret_key is not set. Terraform gives destroy-time provisioners no variables, so the Nango secret key must be in Terraform's environment: export TF_VAR_nango_secret_key=<the secret key of the environment the integration is registered in> and run again." >&2
    exit 1
  fi
  ;;
esac

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# Secrets reach curl through files: a command line is visible to every user through ps.
printf 'header = "Authorization: Bearer %s"\n' "$NANGO_SECRET_KEY" >"$work/auth"

# Terraform prints a failed provisioner's output in full even when its inputs are ephemeral or
# sensitive, so every secret is replaced before anything reaches the output.
redact() {
  awk 'BEGIN { split("NANGO_SECRET_KEY NANGO_CLIENT_SECRET", names, " ") }
    { for (i in names) { s = ENVIRON[names[i]]; if (s == "") continue
        while ((p = index($0, s)) > 0) $0 = substr($0, 1, p - 1) "[redacted]" substr($0, p + length(s)) }
      print }'
}
export NANGO_SECRET_KEY

# A unique key may hold spaces and ~ : . @ _ -: every byte but letters, digits and - . _ ~ is
# percent-encoded, so that it stays one path segment.
encode() {
  printf '%s' "$1" | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) { c = $i + 0
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 || c == 95 || c == 126) printf "%c", c
      else printf "%%%02X", c } }'
}
base="${NANGO_SERVER_URL%/}/integrations"
url="$base/$(encode "$key")"

# call METHOD URL [BODY]: sets $status to the HTTP status; the body lands in $work/response.
call() {
  method=$1 target=$2
  if [ -n "${3:-}" ]; then
    printf '%s' "$3" >"$work/request.json"
    set -- --header 'Content-Type: application/json' --data-binary "@$work/request.json"
  else set --; fi
  if ! status=$(curl --silent --show-error --connect-timeout 10 --max-time 60 --config "$work/auth" \
    --request "$method" --output "$work/response" --write-out '%{http_code}' "$@" "$target" 2>"$work/curl-error"); then
    echo "$who: $method $target did not reach Nango: $(redact <"$work/curl-error")" >&2
    exit 1
  fi
}

fail() {
  echo "$who: Nango answered $method $target with HTTP $status: $(redact <"$work/response")${1:+. $1}" >&2
  exit 1
}

# Nango cannot change an integration's provider in place (PATCH has no provider field).
check_provider() {
  if ! grep -Eq "\"provider\" *: *\"$NANGO_PROVIDER\"" "$work/response"; then
    echo "$who: Nango integration '$key' uses another provider than '$NANGO_PROVIDER', and Nango cannot change a provider in place; delete the integration in Nango (its connections go with it) and apply again" >&2
    exit 1
  fi
}

case $action in
claim)
  call GET "$url"
  case $status in
  404)
    call POST "$base" "$NANGO_POST_BODY"
    [ "$status" = 200 ] || [ "$status" = 201 ] || fail
    echo "Nango integration '$key' created"
    ;;
  200)
    if [ "${NANGO_ADOPT:-false}" != true ]; then
      echo "$who: Nango already has an integration '$key', which this Terraform state did not create; it is left as it is. To take it over (its connections are kept, its client ID, secret, scopes and name are overwritten, and destroying this stack deletes it), set adoptExistingNangoIntegration: true on the app (adoptExistingNangoIntegrations in KindoMicrosoftIntegrations, integrations[\"$KINDO_INTEGRATION\"].nango.adopt_existing in the module); or choose another unique key." >&2
      exit 1
    fi
    check_provider
    echo "Nango integration '$key' adopted"
    ;;
  *) fail ;;
  esac
  ;;
sync)
  call GET "$url"
  case $status in
  200) check_provider ;;
  404) fail "This state registered it, so it was deleted outside Terraform, or the Nango secret key belongs to another environment than the one it was registered in. To register it again in this environment: terraform apply -replace=$NANGO_REGISTRATION_ADDRESS" ;;
  *) fail ;;
  esac
  call PATCH "$url" "$NANGO_PATCH_BODY"
  [ "$status" = 200 ] || fail
  echo "Nango integration '$key' updated"
  ;;
rename)
  call PATCH "$url" "{\"unique_key\":\"$NANGO_NEW_UNIQUE_KEY\"}"
  case $status in
  200) echo "Nango integration '$key' renamed to '$NANGO_NEW_UNIQUE_KEY'" ;;
  *) fail "Nango renames only integrations without connections; keep the unique key '$key', or remove its connections in Nango and apply again" ;;
  esac
  ;;
delete)
  call DELETE "$url"
  case $status in
  200 | 204) echo "Nango integration '$key' deleted" ;;
  404) echo "Nango integration '$key' was not found at $NANGO_SERVER_URL in the environment of TF_VAR_nango_secret_key: it was deleted outside Terraform, or the key belongs to another environment (where it is then still registered)" ;;
  *) fail ;;
  esac
  ;;
esac
