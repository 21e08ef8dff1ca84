#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# java.maven_consumer: builds and runs tests/java/maven-consumer with Maven, offline, in a fresh
# copy with an empty throwaway local repository. io.sgio:sgio must resolve from the build tree's
# Maven repository (file://, checksums verified); Maven's own plugins come from Debian's
# /usr/share/maven-repo (packages libmaven-compiler-plugin-java, libmaven-resources-plugin-java,
# libexec-maven-plugin-java). -o keeps Maven off the network; aether.offline.protocols=file lets
# it read those two file:// repositories while offline.
# Usage: run_consumer.sh MVN PROJECT_DIR SGIO_REPO SGIO_VERSION WORK_DIR
set -eu
mvn=$1 project=$2 repo=$3 version=$4 work=$5
plugins=/usr/share/maven-repo
[ -d "$plugins/org/apache/maven/plugins/maven-compiler-plugin/3.10.1" ] || {
  echo "maven-consumer: Debian's Maven plugins are not installed (libmaven-compiler-plugin-java ...)" >&2
  exit 1
}
dir=$(mktemp -d "$work/maven-consumer.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cp -r "$project/pom.xml" "$project/src" "$dir/"
cd "$dir"
"$mvn" -o -B -q -Dstyle.color=never -Daether.offline.protocols=file -Dmaven.repo.local="$dir/m2" \
  -Dsgio.version="$version" -Dsgio.repo="file://$repo" -Dplugin.repo="file://$plugins" \
  compile exec:java -Dexec.args="$dir/consumer.dat"
# What Maven resolved: the very artifact of the build tree's repository.
cmp "$repo/io/sgio/sgio/$version/sgio-$version.jar" "$dir/m2/io/sgio/sgio/$version/sgio-$version.jar"
echo "maven-consumer: resolved io.sgio:sgio:$version from $repo"
