import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark engine's start-up floor (bench/spark-floor.sh, not part of the application): start a
 * JavaSparkContext from spark-submit's configuration, run one trivial job, stop. Prints the wall
 * clock (epoch ms) at each step so the script can split the run from the moment it started java.
 */
public final class SparkFloor {
    private SparkFloor() {}

    public static void main(String[] args) {
        mark("main");
        JavaSparkContext sc = new JavaSparkContext(new SparkConf());
        mark("context");
        long n = sc.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 2).count();
        if (n != 8) throw new IllegalStateException("count " + n);
        mark("job");
        sc.stop();
        mark("stop");
    }

    private static void mark(String step) {
        System.out.println("floor " + step + " " + System.currentTimeMillis());
    }
}
