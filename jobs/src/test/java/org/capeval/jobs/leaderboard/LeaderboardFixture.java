package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.capeval.metrics.significance.PairedBootstrap;

/** Hand-written COCO references (8 images) and helpers to lay out a night's submissions. */
final class LeaderboardFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    static final long[] IDS = {101, 205, 7, 333, 42, 58, 960, 12};
    static final String[][] REFS = {
        {"A man riding a wave on top of a surfboard.", "A surfer rides a large wave in the ocean.", "Person surfing on a blue wave."},
        {"Two dogs playing with a frisbee in the park.", "A pair of dogs chase a red frisbee on the grass.", "Dogs run across a grassy field."},
        {"A plate of food with broccoli and rice.", "Rice, broccoli and chicken on a white plate.", "A healthy meal on a dish."},
        {"A red double decker bus on a city street.", "A bus drives down the road past tall buildings.", "The double-decker bus is red."},
        {"A cat sleeping on a laptop keyboard.", "A grey cat lies across an open laptop.", "Cat napping on a computer."},
        {"A group of people skiing down a snowy hill.", "Skiers go down the slope in the snow.", "People on skis on a mountain."},
        {"A kitchen with wooden cabinets and a stove.", "An empty kitchen with a white oven.", "Wooden cupboards above a counter in a kitchen."},
        {"A giraffe standing next to a tall tree.", "A giraffe eats leaves from a tree.", "The tall giraffe is near some trees in a zoo."},
    };
    /** A decent system: paraphrases close to the references. */
    static final String[] GOOD = {
        "A surfer riding a wave on a surfboard.", "Two dogs chase a frisbee in the grass.", "A white plate of rice and broccoli.",
        "A red double decker bus drives down a city street.", "A cat lies on an open laptop.", "People skiing down a snowy slope.",
        "A kitchen with wooden cabinets and a white stove.", "A giraffe standing next to a tree."};
    /** A weak system: generic captions. */
    static final String[] WEAK = {
        "A person in the water.", "Animals on the grass.", "Some food on a table.", "A vehicle on the road.",
        "An animal on a desk.", "People in the snow.", "A room with a counter.", "An animal near a tree."};

    private LeaderboardFixture() {}

    static Path writeRefs(Path dir) throws IOException {
        return writeRefs(dir, REFS);
    }

    /** References refs[i] for image IDS[i]. */
    static Path writeRefs(Path dir, String[][] refs) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode anns = root.putArray("annotations");
        int annId = 1;
        for (int i = 0; i < IDS.length; i++) {
            images.addObject().put("id", IDS[i]).put("file_name", "img" + IDS[i] + ".jpg");
            for (String cap : refs[i]) anns.addObject().put("image_id", IDS[i]).put("id", annId++).put("caption", cap);
        }
        Path p = dir.resolve("refs.json");
        JSON.writeValue(p.toFile(), root);
        return p;
    }

    /** Results using captions[i] for image i (all images). */
    static String results(String[] captions) throws IOException {
        ArrayNode arr = JSON.createArrayNode();
        for (int i = 0; i < IDS.length; i++) arr.addObject().put("image_id", IDS[i]).put("caption", captions[i]);
        return JSON.writeValueAsString(arr);
    }

    /** A mix: the first k images from GOOD, the rest from WEAK. */
    static String[] mix(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) out.add(i < k ? GOOD[i] : WEAK[i]);
        return out.toArray(new String[0]);
    }

    static void submission(Path dir, String stem, String name, String team, String date, String resultsJson) throws IOException {
        Files.createDirectories(dir);
        ObjectNode meta = JSON.createObjectNode().put("name", name).put("team", team).put("date", date);
        JSON.writeValue(dir.resolve(stem + ".meta.json").toFile(), meta);
        if (resultsJson != null) Files.writeString(dir.resolve(stem + ".json"), resultsJson);
    }

    /** A board as the job hands it to the page: all nights' rows, the last night, its leaders. */
    record Board(List<HistoryRow> history, String night, Map<String, String> leaders, List<HistoryRow> tonight) {}

    static final List<String> SYNTHETIC_KEYS = List.of("Bleu_4", "ROUGE_L", "CIDEr");

    /**
     * A seeded synthetic board of {@code subs} submissions from {@code teams} teams over {@code nights}
     * nights (some submissions join late; one rejected submission on the last night), assembled by
     * {@link NightAssembler} as the job does. Each tested key's p-values against the leader follow the
     * score gap: close ones are ties (p ≥ 0.05), far ones sit at the resampling floor 1/(B+1).
     */
    static Board syntheticBoard(int subs, int teams, int nights, int samples, String rankBy) {
        Random rnd = new Random(42);
        double[] skill = new double[subs];
        int[] joins = new int[subs];
        for (int i = 0; i < subs; i++) {
            skill[i] = rnd.nextDouble();
            joins[i] = i % 7 == 0 ? rnd.nextInt(nights) : 0;
        }
        List<HistoryRow> history = new ArrayList<>();
        Map<String, String> leaders = new LinkedHashMap<>();
        String night = null;
        List<HistoryRow> tonight = List.of();
        for (int n = 0; n < nights; n++) {
            night = String.format("2026-10-%02d", n + 1);
            List<Submission> list = new ArrayList<>();
            Map<String, NightAssembler.Scores> scores = new TreeMap<>();
            for (int i = 0; i < subs; i++) {
                if (joins[i] > n) continue;
                String name = String.format("sub-%03d", i);
                list.add(new Submission(name, String.format("team %02d", i % teams), night, name + ".meta.json", name + ".json", null));
                Map<String, Double> corpus = new LinkedHashMap<>();
                double base = skill[i] + 0.02 * n + 0.01 * rnd.nextGaussian();
                corpus.put("Bleu_4", 0.20 + 0.10 * base + 0.005 * rnd.nextGaussian());
                corpus.put("ROUGE_L", 0.45 + 0.10 * base + 0.005 * rnd.nextGaussian());
                corpus.put("CIDEr", 0.70 + 0.40 * base);
                scores.put(name, new NightAssembler.Scores(corpus, 5000, "synthetic-signature"));
            }
            if (n == nights - 1) list.add(new Submission("broken", "team 00", night, "broken.meta.json", null, "broken.json: no such file"));
            leaders.clear();
            Map<String, Map<String, PairedBootstrap.Result>> significance = new HashMap<>();
            for (String key : SYNTHETIC_KEYS) {
                Map<String, Double> byKey = new TreeMap<>();
                scores.forEach((name, s) -> byKey.put(name, s.corpus().get(key)));
                String leader = Ranking.leader(byKey);
                leaders.put(key, leader);
                if (key.equals("ROUGE_L")) continue; // an untested key
                double best = byKey.get(leader);
                for (Map.Entry<String, Double> e : byKey.entrySet()) {
                    double gap = (best - e.getValue()) / best;
                    double p = e.getKey().equals(leader) ? 1.0 : gap < 0.004 ? 0.08 + 10 * gap : gap < 0.02 ? 0.049 - gap : Ranking.pFloor(samples);
                    significance.computeIfAbsent(e.getKey(), x -> new HashMap<>())
                            .put(key, new PairedBootstrap.Result(e.getValue(), best, p, e.getValue() - 0.02, e.getValue() + 0.015, e.getValue()));
                }
            }
            tonight = NightAssembler.rows(night, SYNTHETIC_KEYS, rankBy, list, scores, significance, leaders);
            history = NightAssembler.replaceNight(history, night, tonight);
        }
        return new Board(history, night, leaders, tonight);
    }
}
