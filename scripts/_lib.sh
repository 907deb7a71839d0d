# Shared helpers for the scripts in this folder. Sourced, not executed.
# shellcheck shell=bash

GSM_CACHE=${GSM_GATEWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gsm_gateway}

# gsm_select_variant newest|floor: sets the interpreter and requirement file.
gsm_select_variant() {
  case "$1" in
    newest)
      GSM_PY_MIN=3.14.2; GSM_PY=python3.14; GSM_SUITE=sid
      GSM_EXTRA_PKGS="" ; GSM_REQ="$REPO/requirements_test.txt" ;;
    floor)
      GSM_PY_MIN=3.13.2; GSM_PY=python3.13; GSM_SUITE=trixie
      GSM_EXTRA_PKGS="build-essential,python3.13-dev"
      GSM_REQ="$REPO/requirements_test_floor.txt" ;;
    *) echo "unknown variant: $1 (newest or floor)" >&2; return 2 ;;
  esac
  GSM_VARIANT=$1
}

# A host interpreter at least GSM_PY_MIN, or nothing.
gsm_host_python() {
  local cand
  for cand in "$GSM_PY" python3 python; do
    command -v "$cand" >/dev/null 2>&1 || continue
    if "$cand" -c "import sys; v=tuple(map(int,'$GSM_PY_MIN'.split('.'))); sys.exit(0 if sys.version_info[:3] >= v and sys.version_info[:2] == v[:2] else 1)" 2>/dev/null; then
      command -v "$cand"; return 0
    fi
  done
  return 1
}

# The Debian mirror configured on this host, read from apt's own sources.
gsm_debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk '/^URIs:/{for(i=2;i<=NF;i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  echo "no Debian mirror found in the apt configuration" >&2
  return 1
}

gsm_hash() { cat "$@" | sha256sum | cut -c1-16; }

# gsm_prepare [NAME]: the environment of the selected variant, built once
# from GSM_REQ. Without NAME it is the one scripts/test and scripts/setup use;
# with a NAME (develop, say) it is a separate one built from the same
# requirement file, with a stamp of its own, so whatever is added to it later
# leaves the test environment untouched: $GSM_CACHE/venv-NAME on the host, or
# /opt/venv-NAME next to /opt/venv in the Debian userland.
# shellcheck disable=SC2120  # NAME is optional
gsm_prepare() {
  local host req_hash name=${1:-}
  mkdir -p "$GSM_CACHE"
  req_hash=$(gsm_hash "$GSM_REQ")
  if host=$(gsm_host_python); then
    GSM_MODE=host
    GSM_VENV="$GSM_CACHE/venv-${name:-$GSM_VARIANT}"
    if [ "$(cat "$GSM_VENV/.stamp" 2>/dev/null)" != "$req_hash" ]; then
      rm -rf "$GSM_VENV"
      "$host" -m venv "$GSM_VENV"
      "$GSM_VENV/bin/pip" install -q --upgrade pip
      "$GSM_VENV/bin/pip" install -q -r "$GSM_REQ"
      echo "$req_hash" >"$GSM_VENV/.stamp"
    fi
    return 0
  fi
  GSM_MODE=bwrap
  GSM_ROOT="$GSM_CACHE/root-$GSM_VARIANT"
  GSM_VENV=/opt/venv${name:+-$name}
  if ! command -v bwrap >/dev/null || ! command -v debootstrap >/dev/null; then
    echo "setup: installing debootstrap and bubblewrap" >&2
    if [ "$(id -u)" = 0 ]; then
      (apt-get install -y -q debootstrap bubblewrap >/dev/null 2>&1) ||
        { apt-get update -q >/dev/null && apt-get install -y -q debootstrap bubblewrap >/dev/null; }
    else
      echo "setup: need root to install debootstrap and bubblewrap (or a host $GSM_PY >= $GSM_PY_MIN)" >&2
      return 1
    fi
  fi
  if [ ! -f "$GSM_ROOT/.bootstrapped" ]; then
    local mirror include
    mirror=$(gsm_debian_mirror)
    include="$GSM_PY,$GSM_PY-venv,ca-certificates"
    [ -n "$GSM_EXTRA_PKGS" ] && include="$include,$GSM_EXTRA_PKGS"
    echo "setup: bootstrapping a Debian $GSM_SUITE userland with $GSM_PY (once, ~1-3 min)" >&2
    rm -rf "$GSM_ROOT"
    debootstrap --variant=minbase --include="$include" "$GSM_SUITE" "$GSM_ROOT" "$mirror" >"$GSM_CACHE/debootstrap-$GSM_VARIANT.log" 2>&1 ||
      { tail -20 "$GSM_CACHE/debootstrap-$GSM_VARIANT.log" >&2; return 1; }
    touch "$GSM_ROOT/.bootstrapped"
  fi
  if [ "$(cat "$GSM_ROOT$GSM_VENV/.stamp" 2>/dev/null)" != "$req_hash" ]; then
    echo "setup: installing Python requirements ($GSM_VARIANT${name:+, $name environment})" >&2
    gsm_bwrap rm -rf "$GSM_VENV"
    gsm_bwrap "$GSM_PY" -m venv "$GSM_VENV"
    gsm_bwrap "$GSM_VENV/bin/pip" install -q --upgrade pip
    gsm_bwrap "$GSM_VENV/bin/pip" install -q -r "$GSM_REQ"
    echo "$req_hash" >"$GSM_ROOT$GSM_VENV/.stamp"
  fi
}

gsm_bwrap() {
  local ca=/etc/ssl/certs/ca-certificates.crt
  # A private /tmp first: the repository (perhaps a clone under /tmp) is
  # bound after it, so it stays visible.
  local args=(--bind "$GSM_ROOT" / --proc /proc --dev /dev --tmpfs /tmp
    --bind "$REPO" "$REPO" --ro-bind /etc/resolv.conf /etc/resolv.conf)
  [ -r "$ca" ] && args+=(--ro-bind "$ca" "$ca")
  # Extra writable paths (an out-of-repo state folder, say).
  local p
  for p in ${GSM_BIND_EXTRA:-}; do mkdir -p "$p"; args+=(--bind "$p" "$p"); done
  bwrap "${args[@]}" --unsetenv PIP_FIND_LINKS --chdir "$PWD" --setenv HOME /root --setenv PATH "$GSM_VENV/bin:/usr/bin:/bin" "$@"
}

# gsm_run CMD...: run a command of the prepared environment (python, pytest, ...).
gsm_run() {
  if [ "$GSM_MODE" = host ]; then
    PATH="$GSM_VENV/bin:$PATH" "$@"
  else
    gsm_bwrap "$@"
  fi
}
