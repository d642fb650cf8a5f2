package org.capeval.jobs;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/** How the jobs start Spark. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * The session of a job whose RDDs ship the given classes. They are registered with Kryo, which
     * then writes a class id instead of the class name with every record; set here rather than in
     * spark-defaults.conf so that a stock spark-submit without our configuration gets it too.
     */
    public static SparkSession start(String appName, Class<?>... shipped) {
        return SparkSession.builder().appName(appName)
                .config("spark.kryo.classesToRegister", Arrays.stream(shipped).map(Class::getName).collect(Collectors.joining(",")))
                .getOrCreate();
    }
}
