#!/usr/bin/env bash
# Builds the container image of Berth's control plane (IMAGE, default berth:<version>) without pulling anything:
# a Java runtime made with jlink from the JDK in JAVA_HOME, holding only the modules Berth uses, the jar and its
# libraries from berth-server/target (build them first: mvn package), and the host's shared libraries they load.
# The image's build context is left in berth-dist/target/image.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
server="$repo/berth-server/target"
jdk="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
if [ ! -f "$server/berth.jar" ]; then
  echo "No $server/berth.jar: build it first (mvn package, or ./berth --version)" >&2
  exit 1
fi
context="$repo/berth-dist/target/image"
rootfs="$context/rootfs"
rm -rf "$context"
mkdir -p "$rootfs/opt/berth" "$rootfs/etc" "$context/state"
cp "$here/Dockerfile" "$context/"

echo "Finding the Java modules Berth uses..." >&2
modules="$("$jdk/bin/jdeps" --multi-release 21 --ignore-missing-deps --print-module-deps \
    --class-path "$server/lib/*" "$server/berth.jar")"
# Loaded as services, which jdeps does not see: charsets beyond the standard ones, zip file systems, DNS names.
modules="$modules,jdk.charsets,jdk.zipfs,jdk.naming.dns"
echo "Linking a runtime of $modules..." >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-6 \
    --output "$rootfs/opt/java"
cp "$server/berth.jar" "$rootfs/opt/berth/"
cp -r "$server/lib" "$rootfs/opt/berth/"

# The shared libraries the runtime loads (glibc, zlib, ...), at the paths the host has them; the runtime's own are
# in place already, and those of its desktop parts (X11, sound), which a server never loads, are left out.
find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! \( -name 'libawt_xawt.so' -o -name 'libjawt.so' -o -name 'libsplashscreen.so' -o -name 'libjsound.so' \) \
    -exec ldd {} \; 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$rootfs/" | sort -u | while read -r library; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
# Native libraries packed in jars (SQLite's, JNA's) are unpacked to /tmp when first used.
mkdir -p "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0::/:/sbin/nologin\nberth:x:10001:10001::/var/lib/berth:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nberth:x:10001:\n' > "$rootfs/etc/group"

image="${IMAGE:-berth:$(sed -n 's/^version=//p' "$repo/berth-server/target/classes/io/berth/server/version.properties")}"
if ! docker info >/dev/null 2>&1; then
  echo "Docker is not reachable; the image's context is ready in $context (docker build -t $image $context)" >&2
  exit 1
fi
docker build -t "$image" "$context"
echo "Built $image: docker run -p 8773:8773 -v berth-data:/var/lib/berth $image" >&2
