#!/usr/bin/env bash
# npm run test:mutation -- --scripts: the hand-made mutations of assets/nango-registration.sh, which
# Stryker does not mutate (it mutates TypeScript). Each case rewrites one part of the script in a
# scratch copy of the repository and runs the registration's lifecycle and fault tests (real terraform
# against the Nango stand-in) and the script's own tests; the case is killed when those tests fail. A case whose
# pattern no longer matches the script is an error, so that a changed script cannot leave a case
# silently testing nothing. Exit status: 0 when every case is killed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/kindo-script-mutation-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$scratch")
ln -s "$repo/node_modules" "$scratch/node_modules"
script="$scratch/assets/nango-registration.sh"
cp "$script" "$scratch/original.sh"

# name|perl substitution applied to the whole script
cases=(
  'POST status unchecked|s/\[ "\$status" = 200 \] \|\| \[ "\$status" = 201 \] \|\| fail/true/'
  'PATCH status unchecked|s/call PATCH "\$url" "\$NANGO_PATCH_BODY"\n  \[ "\$status" = 200 \] \|\| fail/call PATCH "\$url" "\$NANGO_PATCH_BODY"/'
  'any DELETE status counts as deleted|s/  404\) echo "Nango integration .\$key. was not found(.*?)\n  \*\) fail ;;\n/  404) echo "Nango integration '"'"'\$key'"'"' was not found$1\n  *) echo deleted ;;\n/s'
  'client secret not redacted|s/split\("NANGO_SECRET_KEY NANGO_CLIENT_SECRET"/split("NANGO_SECRET_KEY"/'
  'Nango key not redacted|s/split\("NANGO_SECRET_KEY NANGO_CLIENT_SECRET"/split("NANGO_CLIENT_SECRET"/'
  'existing integration taken over without adoption|s/    elif owned; then/    elif true; then/'
  'client secret not compared when taking an integration|s/\[ "\$id" = same \] && \[ "\$secret" != differs \]/[ "\$id" = same ]/'
  'integration this state made refused after a lost answer|s/    elif owned; then/    elif false; then/'
  'provider not compared|s/\[ "\$\(json .\/"data"\/"provider". NANGO_PROVIDER\)" = same \] && return 0/return 0/'
  'integration deleted outside Terraform goes unnoticed|s/  404\) fail "Deleted outside Terraform[^\n]*/  404) ;;/'
  'refused rename counts as renamed|s/  \*\) fail "Nango renames only[^\n]*/  *) ;;/'
  'rename whose answer was lost not recognised|s/\[ "\$status" = 200 \] \|\| fail "Neither/false || fail "Neither/'
  'DELETE not found fails the destroy|s/  404\) echo "Nango integration .\$key. was not found[^\n]*/  404) fail ;;/'
  'key form not checked|s/^\$h\$h\$h\$h[^\n]*\) ;;$/*) ;;/m'
  'curl left running on a signal|s/    kill "\$curl_pid" 2>\/dev\/null \|\| true\n//'
  'credentials in the server URL not refused|s/case \$\{rest%%\[\/\?#\]\*\} in \*@\*\)/case \$rest in *@@@*)/'
)

killed=0
survived=()
for case in "${cases[@]}"; do
  name="${case%%|*}" expr="${case#*|}"
  perl -0pe "$expr" "$scratch/original.sh" >"$script"
  if cmp -s "$script" "$scratch/original.sh"; then
    echo "mutation '$name' no longer applies to assets/nango-registration.sh: update scripts/mutation-script-cases.sh" >&2
    exit 2
  fi
  echo "== $name"
  if (cd "$scratch" && npx vitest run test/nango/nango-registration.e2e.test.ts test/nango/nango-registration-faults.e2e.test.ts test/nango/nango-registration-script.test.ts >"$scratch/log" 2>&1); then
    survived+=("$name")
    echo "   SURVIVED"
  else
    killed=$((killed + 1))
    echo "   killed: $(grep -E '^ +(×|FAIL)' "$scratch/log" | head -3 | tr -s ' ' | tr '\n' ';')"
  fi
done
cp "$scratch/original.sh" "$script"
echo "Hand-made mutations of assets/nango-registration.sh: $killed of ${#cases[@]} killed"
[ "${#survived[@]}" -eq 0 ]
