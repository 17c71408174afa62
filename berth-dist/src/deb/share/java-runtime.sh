# Finds the Java runtime Berth runs on, for the launchers that source this file (POSIX sh).
# berth_java prints the path of $JAVA_HOME/bin/java, or else of the java on the PATH, when it is Java 21 or newer;
# otherwise it says what to install and fails, rather than letting an older runtime fail on Berth's class files.

berth_java_needed=21

# The feature version of the runtime at $1 (8 for "1.8.0_402", 21 for "21.0.2"), empty when it does not say.
berth_java_version() {
    berth_release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
    if [ -f "$berth_release" ]; then
        # A JDK's release file answers without starting a JVM.
        berth_version=$(sed -n 's/^JAVA_VERSION="\([0-9._]*\).*/\1/p' "$berth_release")
    else
        berth_version=$("$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9._]*\).*/\1/p')
    fi
    case "$berth_version" in
        1.*) berth_version=${berth_version#1.} ;;
    esac
    printf '%s\n' "${berth_version%%[._]*}"
}

berth_java() {
    if [ -n "${JAVA_HOME:-}" ]; then
        berth_java_cmd="$JAVA_HOME/bin/java"
        berth_java_from="JAVA_HOME ($JAVA_HOME)"
    else
        berth_java_cmd=$(command -v java || true)
        berth_java_from="the PATH"
    fi
    if [ -z "$berth_java_cmd" ] || [ ! -x "$berth_java_cmd" ]; then
        echo "Berth needs Java $berth_java_needed or newer; found no java in $berth_java_from." \
            "Install openjdk-$berth_java_needed-jre-headless (or newer) or set JAVA_HOME." >&2
        return 1
    fi
    berth_java_found=$(berth_java_version "$berth_java_cmd")
    case "$berth_java_found" in
        ''|*[!0-9]*) berth_java_found=0 ;;
    esac
    if [ "$berth_java_found" -lt "$berth_java_needed" ]; then
        if [ "$berth_java_found" = 0 ]; then berth_java_found="a java that does not say its version"; fi
        echo "Berth needs Java $berth_java_needed or newer; found $berth_java_found ($berth_java_cmd, from" \
            "$berth_java_from). Install openjdk-$berth_java_needed-jre-headless (or newer) or set JAVA_HOME to a" \
            "Java $berth_java_needed or newer." >&2
        return 1
    fi
    printf '%s\n' "$berth_java_cmd"
}
