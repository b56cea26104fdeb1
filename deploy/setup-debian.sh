#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Tutortime needs to build, test and run. Idempotent:
# when every package is already there it changes nothing and does not touch the network.
set -euo pipefail

packages=(
  build-essential cmake pkg-config   # the toolchain
  libssl-dev                         # OpenSSL 3.0: AEAD, HKDF, X25519, Ed25519 (HPKE is ours)
  libsqlite3-dev                     # the kiosk store and the central server's storage
  libcpp-httplib-dev                 # the central server's HTTPS (cpp-httplib 0.11)
  libcurl4-openssl-dev               # the kiosk's uploader
  libpq-dev                          # the central server's PostgreSQL storage
  postgresql                         # a real PostgreSQL for the central server's tests (started by them)
  nlohmann-json3-dev                 # surveys, responses, the wire format
  libsdl2-dev libimgui-dev           # the pupil UI (ImGui 1.86 with its SDL backend sources)
  libpng-dev                         # screenshots
  xvfb xauth                         # tests: the kiosk in a real X window
  fonts-sil-andika fonts-dejavu-core # Andika for young readers; DejaVu Sans as the fallback
  libgtest-dev libgmock-dev          # tests
  libbenchmark-dev                   # benchmarks
  openssl                            # tests check our key files against the openssl tool
  clang-format                       # formatting check
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
