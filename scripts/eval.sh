#!/usr/bin/env bash
# `npm run eval`: the dev split scored twice with the same scorer: as bounced runs, and with
# every family dialect and provider rule off (`parse --generic-only`), which stands in for
# mail from servers bounced has no dialect for. Pass scorer options first (e.g. --show 80).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
scorer=../shared/tools/score-corpus.mjs
all=$(node "$scorer" "$@" "$corpus" -- node bin/bounced.js parse)
generic=$(node "$scorer" "$@" "$corpus" -- node bin/bounced.js parse --generic-only)
if [ -n "${EVAL_VERBOSE:-}" ]; then printf '%s\n\n' "$all" "$generic"; fi
printf 'all dialects:  %s\n' "$(tail -1 <<<"$all")"
printf 'generic only:  %s\n' "$(tail -1 <<<"$generic")"
