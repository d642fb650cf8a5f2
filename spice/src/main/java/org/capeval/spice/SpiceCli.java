package org.capeval.spice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.capeval.metrics.Progress;
import org.capeval.metrics.tokenize.PtbTokenizer;
import org.capeval.spice.parse.CoreNlpParser;
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;

/**
 * Local SPICE on a COCO annotation file and a results file, without Spark:
 * {@code SpiceCli REFS.json CANDS.json [--tokenized] [--threads N] [--limit IMAGES] [--out per-image.json]}.
 * Images are evaluated in the annotation file's image order, restricted to images with a result.
 * Without {@code --tokenized}, captions go through the project's PTB tokenizer first.
 */
public final class SpiceCli {

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SpiceCli REFS.json CANDS.json [--tokenized] [--threads N] [--limit IMAGES] [--out FILE]");
      System.exit(2);
    }
    boolean tokenized = false;
    int threads = 1;
    Path out = null;
    int limit = Integer.MAX_VALUE;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--tokenized" -> tokenized = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--limit" -> limit = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    List<SpiceScorer.Image> images = readImages(new File(args[0]), new File(args[1]), tokenized);
    images = images.subList(0, Math.min(limit, images.size()));
    List<String> captions = new ArrayList<>(SpiceScorer.distinctCaptions(images));

    long t0 = System.nanoTime();
    CoreNlpParser parser = CoreNlpParser.shared();
    parser.tuples("a dog");
    long t1 = System.nanoTime();
    java.util.concurrent.atomic.LongAdder cpuNanos = new java.util.concurrent.atomic.LongAdder();
    Map<String, List<List<String>>> tuples = parseAll(parser, captions, threads, cpuNanos);
    long t2 = System.nanoTime();
    SpiceScorer.Result r = SpiceScorer.withWordNet().scoreParsed(images, tuples::get);
    long t3 = System.nanoTime();

    System.out.printf("images %d, distinct captions %d, threads %d%n", images.size(), captions.size(), threads);
    System.out.printf("model load %.1f s, parse %.1f s (%.2f captions/s per thread), score %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, captions.size() / ((t2 - t1) / 1e9) / threads, (t3 - t2) / 1e9);
    // CPU time is the fair per-core figure on a shared machine; wall time depends on the load.
    System.out.printf("parse CPU time %.1f s: %.2f captions per CPU-second%n",
        cpuNanos.sum() / 1e9, captions.size() / (cpuNanos.sum() / 1e9));
    System.out.printf("SPICE %.6f%n", r.spice());
    if (out != null) {
      writePerImage(r, out);
    }
  }

  static Map<String, List<List<String>>> parseAll(CoreNlpParser parser, List<String> captions, int threads,
      java.util.concurrent.atomic.LongAdder cpuNanos) throws Exception {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, List<List<String>>> tuples = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Progress.Phase progress = Progress.start("SPICE parsing", "captions", captions.size())) {
      List<Future<?>> done = new ArrayList<>();
      for (String c : captions) {
        done.add(pool.submit(() -> {
          long c0 = mx.getCurrentThreadCpuTime();
          tuples.put(c, parser.tuples(c));
          cpuNanos.add(mx.getCurrentThreadCpuTime() - c0);
          progress.add(1);
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return tuples;
  }

  /** COCO annotations + results into images in annotation-file order (images with a result only). */
  public static List<SpiceScorer.Image> readImages(File refsFile, File candsFile, boolean tokenized) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode refs = json.readTree(refsFile);
    JsonNode cands = json.readTree(candsFile);
    Map<String, List<String>> refsById = new LinkedHashMap<>();
    for (JsonNode img : refs.path("images")) {
      refsById.put(img.path("id").asText(), new ArrayList<>());
    }
    int k = 0;
    for (JsonNode a : refs.path("annotations")) {
      String id = a.path("image_id").asText();
      List<String> list = refsById.get(id);
      if (list == null || !a.path("caption").isTextual()) {
        throw new IllegalArgumentException(refsFile + ": annotations[" + k + "]: image_id " + id
            + " not in images, or caption missing");
      }
      list.add(clean(a.path("caption").asText(), tokenized));
      k++;
    }
    Map<String, String> candById = new LinkedHashMap<>();
    k = 0;
    for (JsonNode c : cands) {
      String id = c.path("image_id").asText();
      if (!refsById.containsKey(id) || !c.path("caption").isTextual()) {
        throw new IllegalArgumentException(candsFile + ": [" + k + "]: image_id " + id
            + " has no references, or caption missing");
      }
      if (candById.put(id, clean(c.path("caption").asText(), tokenized)) != null) {
        throw new IllegalArgumentException(candsFile + ": [" + k + "]: second result for image_id " + id);
      }
      k++;
    }
    List<SpiceScorer.Image> images = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : refsById.entrySet()) {
      String cand = candById.get(e.getKey());
      if (cand != null) {
        images.add(new SpiceScorer.Image(e.getKey(), cand, e.getValue()));
      }
    }
    return images;
  }

  private static String clean(String caption, boolean tokenized) {
    return tokenized ? caption : PtbTokenizer.tokenize(caption);
  }

  private static void writePerImage(SpiceScorer.Result r, Path out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("SPICE", r.spice());
    ArrayNode arr = root.putArray("per_image");
    for (int i = 0; i < r.imageIds().size(); i++) {
      ObjectNode o = arr.addObject();
      o.put("image_id", r.imageIds().get(i));
      SpiceImageScore s = r.perImage().get(i);
      for (TupleCategory c : TupleCategory.values()) {
        TupleScore t = s.get(c);
        ObjectNode n = o.putObject(c.label());
        n.put("tp", t.tp()).put("fp", t.fp()).put("fn", t.fn());
        n.put("pr", t.precision()).put("re", t.recall()).put("f", t.f());
      }
    }
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".spice", ".tmp");
    json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private SpiceCli() {}
}
