#!/usr/bin/env bash
# Builds the .deb from a configured build tree, checks its metadata and contents, unpacks it into
# a throw-away root and runs the installed memlens-cli on a tiny end-to-end job. As root on a
# Debian system it also asks apt whether the package's dependencies can be installed.
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; echo "check_deb: cpack failed" >&2; exit 1; }
deb=$(ls "$work"/out/memlens_*.deb)
echo "package: $(basename "$deb")"

info=$(dpkg-deb -I "$deb")
depends=$(sed -n 's/^ Depends: //p' <<< "$info")
echo "Depends: $depends"
for lib in libqt6widgets6 libqt6charts6 libtbb libsqlite3; do
  grep -q "$lib" <<< "$depends" || { echo "check_deb: Depends lacks $lib" >&2; exit 1; }
done

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/memlens ./usr/bin/memlens-cli \
         ./usr/share/applications/io.github.memlens.MemLens.desktop \
         ./usr/share/metainfo/io.github.memlens.MemLens.metainfo.xml \
         ./usr/share/man/man1/memlens-cli.1 ./usr/share/doc/memlens/copyright; do
  grep -q " $f\$" <<< "$contents" || { echo "check_deb: $f missing from the package" >&2; exit 1; }
done
for size in 16 22 24 32 48 64 128 256; do
  f=./usr/share/icons/hicolor/${size}x${size}/apps/io.github.memlens.MemLens.png
  grep -q " $f\$" <<< "$contents" || { echo "check_deb: $f missing from the package" >&2; exit 1; }
done

root=$work/root
dpkg-deb -x "$deb" "$root"
cli=$root/usr/bin/memlens-cli
"$cli" --version | grep -q '^memlens-cli [0-9]' || { echo "check_deb: --version" >&2; exit 1; }
"$root/usr/bin/memlens" --version | grep -q '^memlens [0-9]' ||
  { echo "check_deb: memlens --version" >&2; exit 1; }
printf 'the cat sat\nthe cat ran\nthe cat sat\n' > "$work/c.txt"
out=$("$cli" predict --model ib1 --width 2 "$work/c.txt" --context "the cat")
[ "$out" = "$(printf 'the cat\tsat\tsat 2, ran 1')" ] ||
  { echo "check_deb: installed memlens-cli predicted '$out'" >&2; exit 1; }
# The Python module, when this build has it, where Debian's python3 finds it.
if [ -f "$build/CMakeCache.txt" ] && grep -q '^MEMLENS_BUILD_PYTHON:BOOL=ON' "$build/CMakeCache.txt"; then
  module=$(grep -o ' ./usr/lib/python3/dist-packages/memlens\.cpython-[^ ]*\.so$' <<< "$contents") ||
    { echo "check_deb: the Python module is missing from the package" >&2; exit 1; }
  echo "python module:$module"
  for _ in $(seq 50); do printf 'the cat sat\nthe cat ran\nthe cat sat\n'; done > "$work/cats.txt"
  predicted=$(PYTHONPATH=$root/usr/lib/python3/dist-packages /usr/bin/python3 -c "
import memlens
memory = memlens.train(memlens.Corpus('$work/cats.txt'), model='ib1', width=2)
print(memory.predict('the cat').token)") ||
    { echo "check_deb: the installed Python module failed" >&2; exit 1; }
  [ "$predicted" = sat ] ||
    { echo "check_deb: the installed Python module predicted '$predicted'" >&2; exit 1; }
fi
if command -v man >/dev/null 2>&1; then
  man -l "$root/usr/share/man/man1/memlens-cli.1" 2>/dev/null | grep -q 'EXIT STATUS' ||
    { echo "check_deb: the man page does not render" >&2; exit 1; }
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -s -qq "$deb" >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; echo "check_deb: apt cannot install the package" >&2; exit 1; }
fi
echo "check_deb: ok"
