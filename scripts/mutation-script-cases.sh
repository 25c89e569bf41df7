#!/usr/bin/env bash
# npm run test:mutation -- --scripts: the hand-made mutations of assets/nango-registration.sh, which
# Stryker does not mutate (it mutates TypeScript). Each case rewrites one part of the script in a
# scratch copy of the repository and runs the lifecycle tests of test/nango/nango-registration.e2e.test.ts
# (real terraform against the Nango stand-in); the case is killed when those tests fail. A case whose
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
  'existing integration taken over without adoption|s/if \[ "\$\{NANGO_ADOPT:-false\}" != true \]/if false/'
  'provider not compared|s/if ! grep -Eq "\\"provider\\"[^\n]*"\$work\/response"; then/if false; then/'
  'integration deleted outside Terraform goes unnoticed|s/  404\) fail "This state registered it[^\n]*/  404) ;;/'
  'refused rename counts as renamed|s/  \*\) fail "Nango renames only[^\n]*/  *) ;;/'
  'DELETE not found fails the destroy|s/  404\) echo "Nango integration .\$key. was not found[^\n]*/  404) fail ;;/'
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
  if (cd "$scratch" && npx vitest run test/nango/nango-registration.e2e.test.ts -t 'lifecycle with terraform' >"$scratch/log" 2>&1); then
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
