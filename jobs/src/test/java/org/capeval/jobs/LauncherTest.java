package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs the Launcher starts without SparkSubmit, and with which configuration. */
class LauncherTest {
    @TempDir Path tmp;

    Path defaults(String... lines) throws IOException {
        return Files.write(tmp.resolve("spark-defaults.conf"), List.of(lines));
    }

    static Optional<Map<String, String>> local(Path defaults, String... options) throws Exception {
        List<String> submit = new ArrayList<>(List.of("--class", "org.capeval.jobs.Main", "--properties-file", defaults.toString()));
        submit.addAll(List.of(options));
        submit.addAll(List.of("app.jar", "score", "--refs", "r.json"));
        Launcher.SubmitOptions parsed = Launcher.SubmitOptions.parse(submit.toArray(String[]::new));
        assertArrayEquals(new String[] {"score", "--refs", "r.json"}, parsed.job());
        return Launcher.localConf(parsed);
    }

    @Test
    void aLocalRunGetsSparkSubmitsConfiguration() throws Exception {
        Path file = defaults("spark.master local[*]", "spark.serializer  org.apache.spark.serializer.KryoSerializer  ",
                "spark.sql.shuffle.partitions 8", "spark.executor.memory 1g", "not.spark 1");
        Map<String, String> conf = local(file, "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.x= a b ", "--conf", "spark.executor.memory=3g",
                "--executor-memory", "2g", "--driver-memory", "1500m", "--name", "nightly", "--conf", "other=1").orElseThrow();
        assertEquals("local[*]", conf.get("spark.master"));
        assertEquals("client", conf.get("spark.submit.deployMode"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"), "values trimmed");
        assertEquals("4", conf.get("spark.sql.shuffle.partitions"), "--conf over the file");
        assertEquals(" a b ", conf.get("spark.x"), "a --conf value as given");
        assertEquals("2g", conf.get("spark.executor.memory"), "an option over --conf");
        assertEquals("1500m", conf.get("spark.driver.memory"));
        assertEquals("nightly", conf.get("spark.app.name"));
        assertFalse(conf.containsKey("not.spark") || conf.containsKey("other"), "only spark.* properties: " + conf);
        assertTrue(conf.containsKey("spark.app.submitTime"));

        assertEquals("local[2]", local(file, "--master", "local[2]").orElseThrow().get("spark.master"));
        assertEquals("local", local(file, "--conf", "spark.master=local").orElseThrow().get("spark.master"));
        assertEquals("local[*]", local(defaults("spark.ui.enabled false")).orElseThrow().get("spark.master"), "spark-submit's default");
    }

    @Test
    void everyOtherRunGoesThroughSparkSubmit() throws Exception {
        Path file = defaults("spark.master local[*]");
        assertTrue(local(file).isPresent());
        assertTrue(local(file, "--master", "spark://127.0.0.1:7077").isEmpty(), "a standalone cluster");
        assertTrue(local(file, "--master", "local-cluster[2,1,1024]").isEmpty(), "executors in JVMs of their own");
        assertTrue(local(file, "--master", "yarn").isEmpty());
        assertTrue(local(defaults("spark.master k8s://https://h:6443")).isEmpty(), "a master from the file");
        assertTrue(local(file, "--deploy-mode", "cluster").isEmpty());
        assertTrue(local(file, "--conf", "spark.submit.deployMode=cluster").isEmpty());
        assertTrue(local(file, "--jars", "extra.jar").isEmpty(), "jars to put on a class path");
        assertTrue(local(file, "--files", "f.txt").isEmpty());
        assertTrue(local(file, "--conf", "spark.jars.packages=a:b:1").isEmpty());
        assertTrue(local(defaults("spark.files f.txt")).isEmpty());
        assertTrue(local(file, "--queue", "q").isEmpty(), "an option this launcher does not know");
    }

    @Test
    void aMalformedConfOrPropertiesFileIsAUsageErrorNamingIt() throws Exception {
        Path file = defaults("spark.master local[*]");
        Launcher.BadOption noEquals = assertThrows(Launcher.BadOption.class, () -> local(file, "--conf", "spark.ui.enabled"));
        assertEquals("--conf 'spark.ui.enabled': a Spark property is given as KEY=VALUE", noEquals.getMessage());
        assertEquals("score", noEquals.job);
        Path bad = defaults("spark.x \\uZZZZ");
        Launcher.BadOption unreadable = assertThrows(Launcher.BadOption.class, () -> local(bad));
        assertEquals("--properties-file " + bad + ": not readable as Spark properties (Malformed \\uxxxx encoding.)", unreadable.getMessage());
    }
}
