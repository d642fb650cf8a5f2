# Sourced, not run: where the build puts capeval's jars, and the Java flags Spark needs. One place
# for what submit.sh, conf/cluster.sh and the bench scripts each launch a JVM with. Needs ROOT (the
# project root) set; defines JAVA, VERSION, APP_JAR, LIB, CLOUD, SPICE_MODELS, CLASSPATH_JARS,
# DRIVER_CP and MODULE_FLAGS.
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
VERSION="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")"
# the application jar: the one a stock spark-submit runs on a user's cluster
APP_JAR="$ROOT/jobs/target/capeval-$VERSION-spark.jar"
# Spark's own jars (the jobs module's provided dependencies, what a Spark 4.2 distribution has in jars/)
LIB="$ROOT/jobs/target/lib"
# The s3a connector (hadoop-aws and the AWS SDK bundle, ~690 MB; not part of Spark's own jars)
CLOUD="$ROOT/jobs/target/cloud"
# CoreNLP 3.6.0's models for SPICE: on the driver's classpath in local mode; on a cluster, --jars it.
SPICE_MODELS="$ROOT/jobs/target/spice/stanford-corenlp-3.6.0-models.jar"
# The application jar (which holds picocli) first: the JVM finds the command line's classes without
# opening the ~175 jars of lib/ (~0.1 s of a --help).
CLASSPATH_JARS="$APP_JAR:$LIB/*:$SPICE_MODELS"
# The Spark driver also gets the s3a connector, last.
DRIVER_CP="$CLASSPATH_JARS:$CLOUD/*"

# The Java 17 module flags Spark needs (org.apache.spark.launcher.JavaModuleOptions). One source of
# truth: the parent pom's <spark.module.flags>, which Surefire's argLine uses too.
MODULE_FLAGS="$(sed -n 's:.*<spark.module.flags>\(.*\)</spark.module.flags>.*:\1:p' "$ROOT/pom.xml")"
if [ -z "$MODULE_FLAGS" ]; then
  echo "capeval: <spark.module.flags> not found in $ROOT/pom.xml" >&2
  exit 1
fi
