package org.capeval.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.capeval.jobs.gen.CaptionGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * capeval on an object store through s3a: a real S3-API server on loopback (s3rver, from npm:
 * jobs/src/test/s3rver, installed by .ci/run with npm ci), the jobs run by submit.sh in local mode
 * with conf/spark-s3.conf appended to the Spark defaults, as the README tells users to. score and
 * leaderboard read their inputs from and write their outputs to s3a:// and must give the local
 * run's numbers; the store's refusals at the boundary (an unreachable endpoint, no credentials, an
 * existing output) must each end the run with one line naming the URI, and leave nothing behind.
 *
 * <p>s3rver runs over TLS (a certificate made here for 127.0.0.1): over plain http the AWS SDK
 * signs each chunk of an upload (aws-chunked), which s3rver stores verbatim; over https it sends
 * the payload unsigned, as a real S3 takes it too. Node 17+ needs its legacy OpenSSL provider for
 * the cipher s3rver's list continuation tokens use, and s3rver's multi-object delete fails on
 * directory markers, so S3A deletes object by object here (fs.s3a.multiobjectdelete.enable=false).
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3StorageIT {
    private static final long IMAGES = 400;
    private static final long TIMEOUT_S = 300;
    private static final String BUCKET = "capeval";
    private static final String STORE_PASSWORD = "changeit";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static Process s3rver;
    private static int port;
    private static HttpClient http;
    private static Path confDir;
    private static Path trustStore;
    private static Path refs;
    private static Path results;
    private static Path subs;
    private static byte[] localEval;

    @BeforeAll
    static void setUp() throws Exception {
        Path bin = StockSpark.PROJECT.resolve("jobs/src/test/s3rver/node_modules/.bin/s3rver");
        if (!Files.isExecutable(bin)) {
            String msg = "s3rver not installed (npm ci --prefix jobs/src/test/s3rver, as .ci/run does)";
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) fail(msg + "; it is required under CI");
            Assumptions.abort(msg + "; skipping the S3 storage tests");
        }
        work = StockSpark.PROJECT.resolve("jobs/target/it-s3");
        org.apache.commons.io.FileUtils.deleteDirectory(work.toFile());
        Files.createDirectories(work.resolve("data"));
        tls(work.resolve("tls"));
        s3rver = startS3rver(bin);

        // the Spark defaults users get: conf/spark-defaults.conf with conf/spark-s3.conf appended
        confDir = Files.createDirectories(work.resolve("conf"));
        Path conf = StockSpark.PROJECT.resolve("conf");
        Files.copy(conf.resolve("log4j2.properties"), confDir.resolve("log4j2.properties"));
        Files.writeString(confDir.resolve("spark-defaults.conf"),
                Files.readString(conf.resolve("spark-defaults.conf")) + "\n" + Files.readString(conf.resolve("spark-s3.conf")));

        refs = work.resolve("data/refs.json.gz");
        results = work.resolve("data/results.json.gz");
        new CaptionGenerator(21).write(IMAGES, 5, refs, results);
        put("data/refs.json.gz", refs);
        put("data/results.json.gz", results);
        subs = Files.createDirectories(work.resolve("data/subs"));
        Files.copy(results, subs.resolve("a.json.gz"));
        new CaptionGenerator(22).write(IMAGES, 1, work.resolve("data/unused-refs.json.gz"), subs.resolve("b.json.gz"));
        Files.writeString(subs.resolve("a.meta.json"), "{\"name\":\"alpha\",\"team\":\"A\",\"date\":\"2026-10-30\"}");
        Files.writeString(subs.resolve("b.meta.json"), "{\"name\":\"beta\",\"team\":\"B\",\"date\":\"2026-10-31\"}");
        for (String f : List.of("a.json.gz", "b.json.gz", "a.meta.json", "b.meta.json")) put("subs/" + f, subs.resolve(f));

        // the reference: the same inputs scored on local files (local engine)
        Path localOut = work.resolve("local-out");
        assertEquals(0, run(work.resolve("local.log"), List.of(), "score", "--refs", refs.toString(), "--results", results.toString(),
                "--out", localOut.toString()), () -> "local run failed: " + HdfsClusterIT.tail(work.resolve("local.log")));
        localEval = Files.readAllBytes(localOut.resolve("eval.json"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (s3rver != null) {
            s3rver.destroy();
            if (!s3rver.waitFor(10, TimeUnit.SECONDS)) s3rver.destroyForcibly().waitFor();
        }
    }

    @Test
    @Order(1)
    void scoreReadsAndWritesS3() throws Exception {
        Path log = work.resolve("score-s3.log");
        assertEquals(0, run(log, store(), "score", "--refs", s3("data/refs.json.gz"), "--results", s3("data/results.json.gz"),
                "--out", s3("out/score")), () -> HdfsClusterIT.tail(log));
        assertArrayEquals(localEval, get("out/score/eval.json"), "eval.json on S3 equals the local run's");
        List<String> keys = keys("out/");
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("out/score/per_image/part-")), () -> "per_image on S3: " + keys);
        assertTrue(keys.stream().noneMatch(k -> k.contains("capeval-tmp")), () -> "the temporary directory is gone: " + keys);
        // S3A buffered the uploads on disk in Hadoop's scratch space, which follows TMPDIR in local mode (not /tmp/hadoop-USER)
        assertTrue(Files.isDirectory(work.resolve("tmp").resolve("hadoop-" + System.getProperty("user.name")).resolve("s3a")),
                () -> "S3A's buffer directory under TMPDIR; " + HdfsClusterIT.tail(log));
    }

    @Test
    @Order(2)
    void leaderboardOnS3GivesTheLocalNumbers() throws Exception {
        Path log = work.resolve("lb-s3.log");
        assertEquals(0, run(log, store(), leaderboard(s3("data/refs.json.gz"), s3("subs"), s3("boards/lb"))),
                () -> HdfsClusterIT.tail(log));
        Path localBoard = work.resolve("lb-local");
        Path localLog = work.resolve("lb-local.log");
        assertEquals(0, run(localLog, List.of(), leaderboard(refs.toString(), subs.toString(), localBoard.toString())),
                () -> HdfsClusterIT.tail(localLog));
        JsonNode s3Latest = JSON.readTree(get("boards/lb/latest.json"));
        JsonNode localLatest = JSON.readTree(localBoard.resolve("latest.json").toFile());
        assertEquals(localLatest.get("leaders"), s3Latest.get("leaders"));
        assertEquals(2, s3Latest.get("submissions").size());
        for (int i = 0; i < 2; i++) {
            ObjectNode s = (ObjectNode) s3Latest.get("submissions").get(i).deepCopy();
            ObjectNode l = (ObjectNode) localLatest.get("submissions").get(i).deepCopy();
            s.remove("source");
            l.remove("source");
            assertEquals(l, s, "submission " + i + ": S3 and local numbers");
        }
        List<String> keys = keys("boards/lb/");
        assertTrue(keys.contains("boards/lb/_board/00000000000000000001.json"), () -> "the pointer: " + keys);
        assertTrue(keys.stream().noneMatch(k -> k.endsWith("/_lock")), () -> "lock released: " + keys);
        for (String f : List.of("index.html", "history.csv")) {
            assertTrue(keys.contains("boards/lb/" + f), () -> f + " at the top: " + keys);
        }
    }

    @Test
    @Order(3)
    void anExistingOutputIsRefusedWithoutOverwrite() throws Exception {
        byte[] before = get("out/score/eval.json");
        List<String> keysBefore = keys("out/");
        Path log = work.resolve("exists.log");
        int exit = run(log, store(), "score", "--refs", s3("data/refs.json.gz"), "--results", s3("data/results.json.gz"),
                "--out", s3("out/score"));
        assertEquals(2, exit, () -> HdfsClusterIT.tail(log));
        assertOneLine(log, "capeval score: error: ", "--out " + s3("out/score"), "already exists");
        assertArrayEquals(before, get("out/score/eval.json"), "the existing output is untouched");
        assertEquals(keysBefore, keys("out/"), "nothing added next to it");
    }

    @Test
    @Order(4)
    void anUnreachableEndpointIsOneLineNamingTheUri() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<String> conf = new ArrayList<>(store());
        conf.addAll(List.of("--conf", "spark.hadoop.fs.s3a.endpoint=https://127.0.0.1:" + closed,
                // no retries: the first refused connection is the answer
                "--conf", "spark.hadoop.fs.s3a.attempts.maximum=0", "--conf", "spark.hadoop.fs.s3a.retry.limit=0"));
        Path log = work.resolve("unreachable.log");
        int exit = run(log, conf, "score", "--refs", s3("data/refs.json.gz"), "--results", s3("data/results.json.gz"),
                "--out", s3("out/never"));
        assertEquals(1, exit, () -> HdfsClusterIT.tail(log));
        assertOneLine(log, "capeval score: failed: ", "--refs " + s3("data/refs.json.gz"), "cannot reach", "127.0.0.1:" + closed);
        assertTrue(keys("out/never").isEmpty(), "nothing written");
    }

    @Test
    @Order(5)
    void missingCredentialsAreOneLineNamingTheUri() throws Exception {
        // conf/spark-s3.conf's providers find no keys: none in the configuration, none in the environment
        Path log = work.resolve("no-credentials.log");
        int exit = run(log, store(false), "leaderboard", "--refs", s3("data/refs.json.gz"), "--submissions", s3("subs"), "--out", s3("boards/never"),
                "--date", "2026-11-01");
        assertEquals(2, exit, () -> HdfsClusterIT.tail(log));
        assertOneLine(log, "capeval leaderboard: error: ", "--refs " + s3("data/refs.json.gz"), "no credentials");
        assertTrue(keys("boards/never").isEmpty(), "nothing written");
    }

    // ---- the store and the runs

    private static String s3(String key) {
        return "s3a://" + BUCKET + "/" + key;
    }

    /** The settings that point conf/spark-s3.conf at this s3rver (its endpoint, path-style, its fixed keys). */
    private static List<String> store() {
        return store(true);
    }

    private static List<String> store(boolean withKeys) {
        List<String> kvs = new ArrayList<>(List.of("spark.hadoop.fs.s3a.endpoint=https://127.0.0.1:" + port,
                "spark.hadoop.fs.s3a.path.style.access=true", "spark.hadoop.fs.s3a.multiobjectdelete.enable=false"));
        if (withKeys) kvs.addAll(List.of("spark.hadoop.fs.s3a.access.key=S3RVER", "spark.hadoop.fs.s3a.secret.key=S3RVER"));
        List<String> c = new ArrayList<>();
        for (String kv : kvs) c.addAll(List.of("--conf", kv));
        return c;
    }

    private static List<String> leaderboard(String refsUri, String subsUri, String out) {
        return List.of("leaderboard", "--refs", refsUri, "--submissions", subsUri, "--out", out, "--date", "2026-11-01",
                "--bootstrap-samples", "100");
    }

    private static int run(Path log, List<String> sparkConf, List<String> args) throws IOException, InterruptedException {
        return run(log, sparkConf, args.toArray(String[]::new));
    }

    /** {@code submit.sh args... --master local[2] sparkConf...} with the test's Spark defaults and trust store. */
    private static int run(Path log, List<String> sparkConf, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(StockSpark.PROJECT.resolve("submit.sh").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--master", "local[2]", "--driver-memory", "1g"));
        cmd.addAll(sparkConf);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        pb.environment().put("CAPEVAL_CONF_DIR", confDir.toString());
        pb.environment().put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
        pb.environment().put("CAPEVAL_DRIVER_OPTS", "-Djavax.net.ssl.trustStore=" + trustStore
                + " -Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD + " -Djavax.net.ssl.trustStoreType=PKCS12");
        for (String v : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")) pb.environment().remove(v);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("submit.sh " + String.join(" ", args) + " did not finish; " + HdfsClusterIT.tail(log));
        }
        return p.exitValue();
    }

    /** The log has exactly one line starting with {@code prefix}, holding every fragment. */
    private static void assertOneLine(Path log, String prefix, String... fragments) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("capeval ")).toList();
        assertEquals(1, lines.size(), () -> "one capeval line; " + HdfsClusterIT.tail(log));
        assertTrue(lines.get(0).startsWith(prefix), () -> "starts with '" + prefix + "': " + lines.get(0));
        for (String f : fragments) assertTrue(lines.get(0).contains(f), () -> "the line names '" + f + "': " + lines.get(0));
    }

    /**
     * A self-signed certificate for 127.0.0.1 made with keytool: its key and certificate as PEM
     * for s3rver, and a trust store holding the certificate for the JVMs.
     */
    private static void tls(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keys = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "s3rver", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), () -> "keytool: " + out);
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keys)) {
            server.load(in, STORE_PASSWORD.toCharArray());
        }
        Certificate cert = server.getCertificate("s3rver");
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", server.getKey("s3rver", STORE_PASSWORD.toCharArray()).getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("s3rver", cert);
        trustStore = dir.resolve("trust.p12");
        try (var o = Files.newOutputStream(trustStore)) {
            trust.store(o, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** s3rver on a free loopback port with the bucket; returns once it listens. */
    private static Process startS3rver(Path bin) throws Exception {
        Path tls = work.resolve("tls");
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "--directory", Files.createDirectories(work.resolve("s3rver")).toString(),
                "--address", "127.0.0.1", "--port", "0", "--silent", "--key", tls.resolve("key.pem").toString(),
                "--cert", tls.resolve("cert.pem").toString(), "--configure-bucket", BUCKET).redirectErrorStream(true);
        pb.environment().put("NODE_OPTIONS", "--openssl-legacy-provider");
        Process p = pb.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Path log = work.resolve("s3rver.log");
        Thread reader = new Thread(() -> {
            Pattern listen = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var w = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    Matcher m = listen.matcher(line);
                    if (m.find()) listening.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IOException("s3rver exited; see " + log));
        }, "s3rver-log");
        reader.setDaemon(true);
        reader.start();
        port = listening.get(60, TimeUnit.SECONDS);
        return p;
    }

    // ---- the store seen from here: anonymous S3 requests (s3rver takes them), as a reader would

    private static void put(String key, Path file) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(object(key)).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> "PUT " + key + ": " + r.body());
    }

    private static byte[] get(String key) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(object(key)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> "GET " + key);
        return r.body();
    }

    /** Every key under {@code prefix}. */
    private static List<String> keys(String prefix) throws Exception {
        URI list = URI.create("https://127.0.0.1:" + port + "/" + BUCKET + "?prefix=" + java.net.URLEncoder.encode(prefix, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> "list " + prefix + ": " + r.body());
        assertTrue(!r.body().contains("<IsTruncated>true"), "one page of keys");
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("<Key>([^<]*)</Key>").matcher(r.body());
        while (m.find()) keys.add(m.group(1));
        return keys;
    }

    private static URI object(String key) {
        return URI.create("https://127.0.0.1:" + port + "/" + BUCKET + "/" + key);
    }
}
