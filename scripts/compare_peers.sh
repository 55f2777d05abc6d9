#!/usr/bin/env bash
# Ours against PyTorch, NumPy by hand and JAX in one session.
#
#   PYTHON=/tmp/peers/bin/python scripts/compare_peers.sh [--rounds N] [--only PARTS] \
#       [--frameworks torch,numpy,jax] [--data DIR] [--json FILE]
#
# Builds the Benchmarks program in release, then takes one workload at a time and runs ours and
# each peer on it in turn, N rounds (default 3; the order of the frameworks rotates from round
# to round), each process with --only <that workload> --runs 1, and prints the medians per
# workload with the ratio ours / best peer, and the median over rounds of ours against the
# best peer of the same round. NumPy runs under
# `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` (OpenBLAS's AVX-512 kernel; see
# ../shared/PERFORMANCE.md); nothing else changes the environment.
#
# The interpreter comes from $PYTHON (default python3) and needs torch and numpy (jax is
# optional, skipped when it does not import). A venv that works:
#   python3 -m venv /tmp/peers && /tmp/peers/bin/pip install torch numpy "jax[cpu]"
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import torch, numpy' 2>/dev/null; then
  echo "compare_peers: $PYTHON cannot import torch and numpy." >&2
  echo "  python3 -m venv /tmp/peers && /tmp/peers/bin/pip install torch numpy \"jax[cpu]\"" >&2
  echo "  PYTHON=/tmp/peers/bin/python $0 $*" >&2
  exit 1
fi
export PYTHON
exec "$PYTHON" scripts/bench_peers.py --compare "$@"
