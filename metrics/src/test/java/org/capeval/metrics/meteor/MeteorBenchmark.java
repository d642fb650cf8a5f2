package org.capeval.metrics.meteor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.capeval.metrics.wordnet.WordNet;

/**
 * Throughput of METEOR on one thread (not a test; run by bench/meteor.sh):
 * {@code MeteorBenchmark CASE_TOK_DIR METEOR_DATA_DIR [PASSES]} with a tokenized caption case
 * (cands.json[.gz], refs.json[.gz]). Prints the WordNet load time, then images/s per pass (the
 * first pass includes JIT warm-up and the stem/synonym caches filling), by wall clock and by the
 * thread's CPU time (images per CPU-second: per-core throughput even when other processes compete
 * for the cores).
 */
public final class MeteorBenchmark {
    private MeteorBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        MeteorScorer scorer = new MeteorScorer(MeteorData.load(Path.of(args[1]), null));
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> cands = new ArrayList<>();
        List<List<String>> refs = new ArrayList<>();
        read(dir, cands, refs);

        long t0 = System.nanoTime();
        WordNet.get().synsets("dog");
        System.out.printf("wordnet_load_ms %.0f%n", (System.nanoTime() - t0) / 1e6);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int p = 1; p <= passes; p++) {
            long start = System.nanoTime();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            MeteorStats sum = MeteorStats.ZERO;
            for (int i = 0; i < cands.size(); i++) {
                sum = sum.plus(scorer.stats(cands.get(i), refs.get(i)));
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuSecs = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("pass %d: %d images, wall %.2f s = %.0f images/s, cpu %.2f s = %.0f images/cpu-s, corpus %.6f%n",
                    p, cands.size(), secs, cands.size() / secs, cpuSecs, cands.size() / cpuSecs, MeteorScorer.score(sum));
        }
    }

    private static void read(Path dir, List<String> cands, List<List<String>> refs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<Long, List<String>> byImage = new HashMap<>();
        for (JsonNode a : json.readTree(open(dir, "refs.json")).get("annotations")) {
            byImage.computeIfAbsent(a.get("image_id").asLong(), k -> new ArrayList<>()).add(a.get("caption").asText());
        }
        for (JsonNode c : json.readTree(open(dir, "cands.json"))) {
            cands.add(c.get("caption").asText());
            refs.add(byImage.get(c.get("image_id").asLong()));
        }
    }

    private static InputStream open(Path dir, String name) throws IOException {
        Path plain = dir.resolve(name);
        if (Files.exists(plain)) {
            return Files.newInputStream(plain);
        }
        return new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")));
    }
}
