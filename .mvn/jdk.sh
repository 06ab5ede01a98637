# Sourced by ./mvnw and ./local-stack: the build and the platform need a JDK 21 or newer.
# If JAVA_HOME (or the java on PATH) is older, pick the newest JDK 21+ found in the usual places.
mp_jdk_major() {
  # $1: a JDK home; prints its feature version (e.g. 25), or nothing
  [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
mp_select_jdk() {
  current="${JAVA_HOME:-}"
  if [ -z "$current" ] && command -v java >/dev/null 2>&1; then
    current=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  major=$(mp_jdk_major "$current")
  if [ -n "$major" ] && [ "$major" -ge 21 ]; then
    [ -n "${JAVA_HOME:-}" ] || export JAVA_HOME="$current"
    return 0
  fi
  best="" best_major=0
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    m=$(mp_jdk_major "$home")
    [ -n "$m" ] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$home" best_major="$m"; fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
  else
    echo "media-platform needs JDK 21 or newer; set JAVA_HOME to one (found: ${current:-none})." >&2
  fi
}
mp_select_jdk
