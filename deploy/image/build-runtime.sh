#!/usr/bin/env bash
# Builds the root file system that the fedgossip container image adds on top of an empty ("scratch")
# base: a jlink'ed Java runtime, the shared libraries it loads, a non-root user and the directories
# the daemon writes. Jib adds this tree as extra directories (cli/pom.xml, profile "image"); the
# application itself (classes and dependency jars) comes from Jib's own layers.
#
# Usage: build-runtime.sh JAVA_HOME FAT_JAR OUT_DIR
#   JAVA_HOME  the build JDK (17): its jlink and jmods make the runtime
#   FAT_JAR    cli/target/fedgossip.jar, which jdeps reads to find the modules the code needs
#   OUT_DIR    the tree to create (replaced): OUT_DIR/opt/java, OUT_DIR/lib..., OUT_DIR/etc/passwd ...
#
# Why the libraries come from the build host: the runtime is jlink'ed from the build host's JDK,
# which was compiled against that host's glibc, so the libraries it was linked and tested with are
# the ones copied (ldd names them: the C library, the loader, zlib, what java.desktop loads, and
# what BoringSSL loads). A distroless base image does the same from its distribution's packages. The image is therefore
# as reproducible as the build host: the same JDK and the same library packages give the same bytes
# (the package and version of every copied library are listed in opt/java/LIBRARIES). Build the
# image on the CI runner, not on a developer's machine, when the digest matters.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 JAVA_HOME FAT_JAR OUT_DIR" >&2
  exit 2
fi
java_home=$1
jar=$2
out=$3

for tool in jlink jdeps; do
  if [ ! -x "$java_home/bin/$tool" ]; then
    echo "build-runtime: $java_home/bin/$tool is missing; JAVA_HOME must be a full JDK 17" >&2
    exit 1
  fi
done
if [ ! -d "$java_home/jmods" ]; then
  echo "build-runtime: $java_home/jmods is missing; install the JDK's jmods (on Debian: openjdk-17-jmods)" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "build-runtime: $jar is missing; run the package phase first" >&2
  exit 1
fi
command -v ldd >/dev/null || { echo "build-runtime: ldd is missing" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# 1. The modules the application needs, as jdeps sees them in the fat jar, plus those it loads
#    without a static reference: the EC provider (Ed25519, X25519), the Vector API the SIMD
#    distance kernel uses (added with --add-modules at start), sun.misc.Unsafe for Netty, and the
#    zip file system.
modules=$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar")
modules="$modules,jdk.crypto.ec,jdk.incubator.vector,jdk.unsupported,jdk.zipfs"
echo "build-runtime: jlink modules: $modules"

"$java_home/bin/jlink" \
  --module-path "$java_home/jmods" \
  --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/java"
# The container has no display, so AWT runs headless: drop the native libraries of the X11 toolkit,
# the splash screen and sound, which would pull in X11, ALSA and GLib. The headless renderer and
# the font manager stay, for the charts of "fedgossip simulate".
rm -f "$out"/opt/java/lib/{libawt_xawt.so,libjawt.so,libsplashscreen.so,libjsound.so}

# 2. Every shared library the runtime's executables and libraries load, with the path the loader
#    resolved, so that the same paths exist in the image. libjli and the JDK's own libraries are
#    found through their RPATH ($ORIGIN) inside opt/java.
#    The application's own native libraries count too: Netty's BoringSSL (netty-tcnative) is a
#    shared library inside a jar, unpacked into /tmp at run time, and loads librt, libpthread and
#    libdl.
natives=$(mktemp -d)
trap 'rm -rf "$natives"' EXIT
jar_path=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
(cd "$natives" && "$java_home/bin/jar" xf "$jar_path" META-INF/native)
libs=$(
  find "$out/opt/java" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
    { xargs -0 ldd 2>/dev/null || true; } |
    awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
    grep -v -e "^$out" -e "^$natives" | sort -u
)
: >"$out/opt/java/LIBRARIES"
for lib in $libs; do
  case "$lib" in
    "$java_home"/*) continue ;;
  esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  # dpkg knows a library by the path it shipped, which merged /usr may hide behind a symlink.
  package=""
  for candidate in "$lib" "$(readlink -f "$lib")" "/usr$lib"; do
    package=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1,2 || true)
    [ -n "$package" ] && break
  done
  version=""
  if [ -n "$package" ]; then
    version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
  fi
  echo "$lib ${package:-unknown} ${version:-unknown}" >>"$out/opt/java/LIBRARIES"
done
# The dynamic loader the kernel starts (the ELF interpreter of bin/java) must be at its absolute path.
interp=$(ldd "$out/opt/java/bin/java" | awk '/ld-linux/ { print $1 }' | head -n 1)
if [ -n "$interp" ] && [ ! -e "$out$interp" ]; then
  mkdir -p "$out$(dirname "$interp")"
  cp -L "$interp" "$out$interp"
fi

# 3. A non-root user and group (uid and gid 65532, as distroless "nonroot"), name lookups through
#    /etc/hosts and DNS, and the directories the process writes: /tmp (the JDK and Netty's native
#    TLS library unpack there) and the data directory, which the container declares as a volume.
mkdir -p "$out/etc" "$out/tmp" "$out/var/lib/fedgossip"
cat >"$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
fedgossip:x:65532:65532:fedgossip:/var/lib/fedgossip:/sbin/nologin
EOF
cat >"$out/etc/group" <<'EOF'
root:x:0:
fedgossip:x:65532:
EOF
cat >"$out/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF

echo "build-runtime: $(du -sh "$out" | cut -f1) in $out ($(wc -l <"$out/opt/java/LIBRARIES") libraries)"
