#!/bin/sh
# Keeps one Nango integration in step with its Entra app registration. Terraform runs it from the
# local-exec provisioners of the NangoRegistration construct, only during apply and destroy, never
# during plan (see docs/nango-registration.md).
#
#   sh nango-registration.sh claim    create the integration; take it when it holds this registration
#                                     already (a lost answer); another one only with NANGO_ADOPT=true
#   sh nango-registration.sh sync     update the integration this state registered, in place
#   sh nango-registration.sh rename   rename it from NANGO_UNIQUE_KEY to NANGO_NEW_UNIQUE_KEY (destroy time)
#   sh nango-registration.sh delete   delete it; "not found" counts as done (destroy time)
#
# Environment: KINDO_INTEGRATION, NANGO_SERVER_URL, NANGO_UNIQUE_KEY; for claim also NANGO_SECRET_KEY,
# NANGO_PROVIDER, NANGO_CLIENT_ID, NANGO_CLIENT_SECRET, NANGO_POST_BODY; for sync NANGO_SECRET_KEY,
# NANGO_PROVIDER, NANGO_CLIENT_SECRET, NANGO_PATCH_BODY, NANGO_REGISTRATION_ADDRESS; for rename
# NANGO_NEW_UNIQUE_KEY, NANGO_PROVIDER, NANGO_CLIENT_ID, NANGO_REGISTRATION_ADDRESS. Destroy-time
# provisioners may reference nothing but their own object, so rename and delete take the Nango secret
# key from Terraform's own environment, TF_VAR_nango_secret_key.
# Needs a POSIX sh, curl (7.55 or later), awk, od and mktemp.
set -eu

docs=docs/nango-registration.md
action=${1:-}
case $action in
claim) required="NANGO_SECRET_KEY NANGO_PROVIDER NANGO_CLIENT_ID NANGO_CLIENT_SECRET NANGO_POST_BODY" ;;
sync) required="NANGO_SECRET_KEY NANGO_PROVIDER NANGO_CLIENT_SECRET NANGO_PATCH_BODY NANGO_REGISTRATION_ADDRESS" ;;
rename) required="NANGO_NEW_UNIQUE_KEY NANGO_PROVIDER NANGO_CLIENT_ID NANGO_REGISTRATION_ADDRESS" ;;
delete) required="" ;;
*) echo "usage: nango-registration.sh claim|sync|rename|delete" >&2; exit 2 ;;
esac
for name in KINDO_INTEGRATION NANGO_SERVER_URL NANGO_UNIQUE_KEY $required; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || { echo "nango-registration.sh: $name is not set" >&2; exit 2; }
done

# visible [LIMIT]: standard input as text a terminal shows as it is, on one line: every code point
# that src/core/visible.ts calls invisible (C0 and C1 controls, DEL, line and paragraph separators,
# bidi marks, overrides and isolates, zero-width and other invisible formatting characters) written
# \u{1B}, every byte that is not UTF-8 written \xFF. Decoded byte by byte (od, LC_ALL=C awk), whatever
# the locale. With LIMIT, only the characters that start in its first LIMIT bytes. Backslashes stay as
# they are: JSON answers stay readable, and the output of visible is its own input unchanged.
visible() {
  od -An -v -tu1 | LC_ALL=C awk -v limit="${1:-0}" '
    function invisible(cp) {
      return cp < 32 || (cp >= 127 && cp <= 159) || cp == 173 || cp == 1564 || cp == 6158 \
        || (cp >= 8203 && cp <= 8207) || (cp >= 8232 && cp <= 8238) || (cp >= 8288 && cp <= 8292) \
        || (cp >= 8294 && cp <= 8303) || cp == 65279 || (cp >= 65529 && cp <= 65531)
    }
    BEGIN { if (limit <= 0) limit = -1; for (c = 32; c < 256; c++) chr[c] = sprintf("%c", c) }
    { for (f = 1; f <= NF; f++) { n++; if (limit < 0 || n <= limit + 3) b[n] = $f + 0 } }
    END {
      end = limit < 0 || n < limit ? n : limit
      for (i = 1; i <= end; i += len) {
        c = b[i]; len = 1; cp = c
        if (c >= 194 && c <= 244) {
          len = c < 224 ? 2 : c < 240 ? 3 : 4; cp = c % (c < 224 ? 32 : c < 240 ? 16 : 8)
          # The second byte excludes overlong forms, UTF-16 surrogates and code points past U+10FFFF.
          lo = c == 224 ? 160 : c == 240 ? 144 : 128; hi = c == 237 ? 159 : c == 244 ? 143 : 191
          for (k = 1; k < len && cp >= 0; k++) {
            d = i + k <= n ? b[i + k] : -1
            if (d < (k == 1 ? lo : 128) || d > (k == 1 ? hi : 191)) cp = -1; else cp = cp * 64 + d % 64
          }
        } else if (c >= 128) cp = -1
        if (cp < 0) { out = out sprintf("\\x%02X", c); len = 1 }
        else if (invisible(cp)) out = out sprintf("\\u{%X}", cp)
        else for (k = 0; k < len; k++) out = out chr[b[i + k]]
      }
      if (i <= n) out = out sprintf(" [%d more bytes not shown]", n - i + 1)
      printf "%s", out
    }'
}
# say TEXT: one line of this script's output, visible; values from the environment and Nango reach it.
say() { printf '%s' "$1" | visible; echo; }

key=$NANGO_UNIQUE_KEY
who="Kindo integration '$KINDO_INTEGRATION'"

# Credentials in the URL would reach curl's command line and its error text: refused unread.
rest=${NANGO_SERVER_URL#*://}
case ${rest%%[/?#]*} in *@*)
  say "$who: NANGO_SERVER_URL has user information (user:password@) before its host; expected a URL without credentials, e.g. https://api.nango.dev" >&2
  exit 1 ;;
esac
url_ok=
case $NANGO_SERVER_URL in
*[[:space:][:cntrl:]]*) ;;
https://?* | http://127.0.0.1 | http://127.0.0.1[:/]* | http://localhost | http://localhost[:/]* | http://\[::1\] | http://\[::1\][:/]*)
  url_ok=1 ;;
esac
if [ -z "$url_ok" ]; then
  say "$who: NANGO_SERVER_URL is '$NANGO_SERVER_URL'; expected an https:// URL (http:// only on 127.0.0.1, localhost or [::1])" >&2
  exit 1
fi
for k in "$key" ${NANGO_NEW_UNIQUE_KEY:+"$NANGO_NEW_UNIQUE_KEY"}; do
  case $k in *[!a-zA-Z0-9~:.@\ _-]*)
    say "$who: the unique key '$k' has characters Nango refuses; expected letters, digits, spaces and ~ : . @ _ -" >&2
    exit 1 ;;
  esac
done

case $action in
rename | delete)
  # Nothing to rename: the object is replaced for another reason, or destroyed with its key unchanged.
  [ "$action" = rename ] && [ "$NANGO_NEW_UNIQUE_KEY" = "$key" ] && exit 0
  NANGO_SECRET_KEY=${TF_VAR_nango_secret_key:-}
  source=TF_VAR_nango_secret_key
  if [ -z "$NANGO_SECRET_KEY" ]; then
    say "$who: cannot $action Nango integration '$key': TF_VAR_nango_secret_key is not set; Terraform gives destroy-time provisioners no variables. Export it and run again ($docs#providing-the-nango-secret-key)" >&2
    exit 1
  fi
  ;;
*) source=nango_secret_key ;;
esac

# A Nango secret key is a UUID v4 (access.middleware.ts in Nango's server). Checked before it is written
# anywhere, so that no value can add a header or a curl directive; never printed.
h='[0-9A-Fa-f]'
case $NANGO_SECRET_KEY in
$h$h$h$h$h$h$h$h-$h$h$h$h-4$h$h$h-[89ABab]$h$h$h-$h$h$h$h$h$h$h$h$h$h$h$h) ;;
*)
  say "$who: the Nango secret key ($source) is not in Nango's form; expected a UUID v4, xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx in hexadecimal digits, from the Nango dashboard's Environment Settings ($docs#the-secret-keys-form)" >&2
  exit 1 ;;
esac
export NANGO_SECRET_KEY

umask 077
work=$(mktemp -d)
curl_pid=
# An interrupted request must not leave the key file or a curl behind: curl runs in the background, so
# that a signal ends the `wait` at once and the trap stops it before the directory is removed.
stop_curl() {
  if [ -n "$curl_pid" ]; then
    kill "$curl_pid" 2>/dev/null || true
    wait "$curl_pid" 2>/dev/null || true
    curl_pid=
  fi
}
trap 'stop_curl; rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# Secrets reach curl through files: a command line is visible to every user through ps.
printf 'Authorization: Bearer %s\n' "$NANGO_SECRET_KEY" >"$work/auth"

# Terraform prints a failed provisioner's output in full even when its inputs are ephemeral or
# sensitive, so every secret is replaced before anything reaches the output.
redact() {
  awk 'BEGIN { split("NANGO_SECRET_KEY NANGO_CLIENT_SECRET", names, " ") }
    { text = text (NR > 1 ? "\n" : "") $0 }
    END { for (i in names) { s = ENVIRON[names[i]]; if (s == "") continue
        done = ""
        while ((p = index(text, s)) > 0) { done = done substr(text, 1, p - 1) "[redacted]"; text = substr(text, p + length(s)) }
        text = done text }
      printf "%s", text }'
}

# json PATH [VARIABLE]: the raw JSON text of the value at PATH (keys as quoted JSON strings, e.g.
# /"data"/"provider") in Nango's answer; with VARIABLE, only whether that value is the environment
# variable's value as Node's JSON.stringify writes it: same, differs or absent. Values, secrets among
# them, are compared inside awk, from its environment: never on a command line, never printed.
json() {
  LC_ALL=C awk -v want="$1" -v expect="${2:-}" '
    function space() { while (i <= n && index(" \t\r\n", substr(s, i, 1)) > 0) i++ }
    function str(   start, c) {
      start = i; i++
      while (i <= n) { c = substr(s, i, 1); if (c == "\\") i += 2; else { i++; if (c == "\"") return substr(s, start, i - start) } }
      bad = 1; return ""
    }
    function value(path,   start, c, end, key, k, d) {
      space(); start = i; c = substr(s, i, 1)
      if (c == "{" || c == "[") {
        end = c == "{" ? "}" : "]"; i++; space(); k = 0
        if (substr(s, i, 1) == end) i++
        else while (!bad) {
          if (c == "{") { space(); if (substr(s, i, 1) != "\"") { bad = 1; break }
            key = str(); space(); if (substr(s, i, 1) != ":") { bad = 1; break }; i++ }
          else key = k++
          value(path "/" key); space(); d = substr(s, i, 1); i++
          if (d == end) break
          if (d != ",") bad = 1
        }
      } else if (c == "\"") str()
      else { while (i <= n && index(",}] \t\r\n", substr(s, i, 1)) == 0) i++; if (i == start) bad = 1 }
      if (path == want) { found = 1; raw = substr(s, start, i - start) }
    }
    function encoded(v,   out, k, c) {
      for (k = 1; k <= length(v); k++) { c = substr(v, k, 1)
        if (c == "\"" || c == "\\") out = out "\\" c; else if (c in esc) out = out esc[c]; else out = out c }
      return "\"" out "\""
    }
    BEGIN { esc["\b"] = "\\b"; esc["\f"] = "\\f"; esc["\n"] = "\\n"; esc["\r"] = "\\r"; esc["\t"] = "\\t"
      for (x = 1; x < 32; x++) { c = sprintf("%c", x); if (!(c in esc)) esc[c] = sprintf("\\u%04x", x) } }
    { s = s (NR > 1 ? "\n" : "") $0 }
    END { n = length(s); i = 1; value("")
      if (expect == "") { if (found && !bad) printf "%s", raw }
      else { verdict = !found || bad ? "absent" : raw == encoded(ENVIRON[expect]) ? "same" : "differs"; print verdict } }' "$work/response"
}

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
  : >"$work/response"
  curl --silent --show-error --connect-timeout 10 --max-time 60 --header "@$work/auth" \
    --request "$method" --output "$work/response" --write-out '%{http_code}' "$@" "$target" \
    >"$work/status" 2>"$work/curl-error" &
  curl_pid=$!
  reached=0
  wait "$curl_pid" && reached=1
  curl_pid=
  if [ "$reached" = 0 ]; then
    say "$who: $method $target did not reach Nango: $(redact <"$work/curl-error" | visible 2000)" >&2
    exit 1
  fi
  status=$(cat "$work/status")
}

fail() {
  say "$who: Nango answered $method $target with HTTP $status: $(redact <"$work/response" | visible 2000)${1:+. $1}" >&2
  exit 1
}

# Nango cannot change an integration's provider: its PATCH refuses `provider`.
check_provider() {
  [ "$(json '/"data"/"provider"' NANGO_PROVIDER)" = same ] && return 0
  say "$who: Nango integration '$key' has provider $(json '/"data"/"provider"' | visible 200), and this configuration registers '$NANGO_PROVIDER'; Nango cannot change a provider. Choose another unique key, or delete the integration in Nango (its connections go with it) and apply again ($docs#another-provider)" >&2
  exit 1
}

# Whether the integration in $work/response holds this registration: the same client ID and the same
# client secret (sent by this configuration, so an earlier apply whose answer was lost made it).
# Reading the secret needs the key's environment:integrations:read_credentials scope.
owned() {
  id=$(json '/"data"/"credentials"/"client_id"' NANGO_CLIENT_ID)
  secret=absent
  [ -z "${NANGO_CLIENT_SECRET:-}" ] || secret=$(json '/"data"/"credentials"/"client_secret"' NANGO_CLIENT_SECRET)
  if [ "$id" = absent ]; then
    say "$who: Nango gave no credentials for integration '$key', so it cannot be told whether this state made it: the Nango secret key lacks the environment:integrations:read_credentials scope. Use a key with that scope (the environment's secret key has it) ($docs#telling-its-own-integration)" >&2
    exit 1
  fi
  [ "$id" = same ] && [ "$secret" != differs ]
}

case $action in
claim)
  call GET "$url?include=credentials"
  case $status in
  404)
    call POST "$base" "$NANGO_POST_BODY"
    [ "$status" = 200 ] || [ "$status" = 201 ] || fail
    say "Nango integration '$key' created"
    ;;
  200)
    check_provider
    if [ "${NANGO_ADOPT:-false}" = true ]; then
      say "Nango integration '$key' adopted"
    elif owned; then
      say "Nango integration '$key' holds this registration already (an earlier apply's answer was lost); taken as this state's"
    else
      say "$who: Nango already has an integration '$key' with another client ID or secret; it is left as it is. Set adoptExistingNangoIntegration to take it over (integrations[\"$KINDO_INTEGRATION\"].nango.adopt_existing in the module), or choose another unique key ($docs#an-existing-integration)" >&2
      exit 1
    fi
    ;;
  *) fail ;;
  esac
  ;;
sync)
  call GET "$url"
  case $status in
  200) check_provider ;;
  404) fail "Deleted outside Terraform, or the key is of another environment; to register it again here: terraform apply -replace=$NANGO_REGISTRATION_ADDRESS ($docs#registered-again)" ;;
  *) fail ;;
  esac
  call PATCH "$url" "$NANGO_PATCH_BODY"
  [ "$status" = 200 ] || fail
  say "Nango integration '$key' updated"
  ;;
rename)
  new_url="$base/$(encode "$NANGO_NEW_UNIQUE_KEY")"
  call PATCH "$url" "{\"unique_key\":\"$NANGO_NEW_UNIQUE_KEY\"}"
  case $status in
  200) say "Nango integration '$key' renamed to '$NANGO_NEW_UNIQUE_KEY'" ;;
  404)
    # The rename may have happened with its answer lost: the new key then holds this registration.
    call GET "$new_url?include=credentials"
    [ "$status" = 200 ] || fail "Neither '$key' nor '$NANGO_NEW_UNIQUE_KEY' exists: deleted outside Terraform; to register it again: terraform apply -replace=$NANGO_REGISTRATION_ADDRESS ($docs#registered-again)"
    key=$NANGO_NEW_UNIQUE_KEY
    check_provider
    if ! owned; then
      say "$who: Nango has no integration '$NANGO_UNIQUE_KEY' to rename, and '$key' has another client ID; it is left as it is. Choose another unique key, or delete '$key' in Nango and apply again ($docs#an-existing-integration)" >&2
      exit 1
    fi
    say "Nango integration '$NANGO_UNIQUE_KEY' was renamed to '$key' already (an earlier apply's answer was lost)"
    ;;
  *) fail "Nango renames only integrations without connections, to a key no other integration has; keep the unique key '$key', or remove its connections in Nango and apply again" ;;
  esac
  ;;
delete)
  call DELETE "$url"
  case $status in
  200 | 204) say "Nango integration '$key' deleted" ;;
  404) say "Nango integration '$key' was not found at $NANGO_SERVER_URL in the environment of TF_VAR_nango_secret_key: deleted already (outside Terraform, or by an earlier destroy whose answer was lost), or the key is of another environment (where it is then still registered)" ;;
  *) fail ;;
  esac
  ;;
esac
