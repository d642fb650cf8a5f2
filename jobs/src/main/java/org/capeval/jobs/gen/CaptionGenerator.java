package org.capeval.jobs.gen;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.cli.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Seeded generator of synthetic COCO caption data: an annotation file of N images with K reference
 * captions each and a results file with one candidate per image, for examples, cluster tests and
 * scale benchmarks.
 *
 * <p>The captions are built from a hand-written scene grammar (subject, action, place, optional
 * extras) so that the references of one image paraphrase the same scene and the candidate is a noisier,
 * more generic description of it, as a captioning model's would be. The statistics are tuned to
 * the real val2014 captions (202,654 captions: 10.5 words on average, sd 2.4, tail to 30+; "a" the
 * most frequent word; 17.7k distinct words, 39% seen once; 206k distinct bigrams). At 40,504 images
 * this generator gives 11.1 words (sd 3.3), 9.7k distinct words (57% seen once) and 29k distinct
 * bigrams: fewer distinct n-grams than real text, so per-image work is realistic and the CIDEr-D
 * document-frequency table somewhat smaller. Raw surface forms (capitals, trailing periods, commas)
 * give tokenization work to do. No caption text is taken from the data set.
 *
 * <p>Deterministic: image i's captions depend only on (seed, i), so any N-prefix is stable.
 */
public final class CaptionGenerator {

    // Subjects by category: [singular, plural]. Order is frequency rank (earlier = more common).
    private static final String[][] PEOPLE = {
        {"man", "men"}, {"woman", "women"}, {"person", "people"}, {"boy", "boys"}, {"girl", "girls"},
        {"player", "players"}, {"child", "children"}, {"guy", "guys"}, {"lady", "ladies"},
        {"skier", "skiers"}, {"surfer", "surfers"}, {"kid", "kids"}, {"skateboarder", "skateboarders"},
        {"baseball player", "baseball players"}, {"tennis player", "tennis players"}};
    private static final String[][] ANIMALS = {
        {"dog", "dogs"}, {"cat", "cats"}, {"giraffe", "giraffes"}, {"elephant", "elephants"},
        {"horse", "horses"}, {"zebra", "zebras"}, {"bird", "birds"}, {"cow", "cows"},
        {"sheep", "sheep"}, {"bear", "bears"}, {"teddy bear", "teddy bears"}};
    private static final String[][] VEHICLES = {
        {"train", "trains"}, {"bus", "buses"}, {"truck", "trucks"}, {"car", "cars"},
        {"motorcycle", "motorcycles"}, {"airplane", "airplanes"}, {"boat", "boats"},
        {"bicycle", "bicycles"}, {"plane", "planes"}, {"jet", "jets"}};
    private static final String[][] THINGS = {
        {"plate of food", "plates of food"}, {"pizza", "pizzas"}, {"clock", "clocks"},
        {"sign", "signs"}, {"sandwich", "sandwiches"}, {"laptop", "laptops"}, {"cake", "cakes"},
        {"bench", "benches"}, {"vase of flowers", "vases of flowers"}, {"toilet", "toilets"},
        {"bowl of fruit", "bowls of fruit"}, {"kite", "kites"}, {"umbrella", "umbrellas"}};
    private static final String[][][] CATEGORIES = {PEOPLE, ANIMALS, VEHICLES, THINGS};
    private static final double[] CATEGORY_WEIGHTS = {0.45, 0.22, 0.15, 0.18};

    // Actions by category: a verb phrase followed by a place.
    private static final String[][] ACTIONS = {
        {"sitting on", "standing in", "holding", "riding", "walking down", "playing with", "eating",
            "looking at", "standing next to", "sitting at", "swinging", "throwing", "laying on",
            "talking on", "walking across", "waiting for", "carrying", "flying"},
        {"standing in", "laying on", "sitting on", "eating", "walking across", "grazing in",
            "standing next to", "looking at", "walking through", "drinking from", "sleeping on"},
        {"parked on", "traveling down", "driving down", "sitting on", "parked in front of",
            "flying over", "pulling into", "stopped at", "coming down", "docked at"},
        {"sitting on", "on top of", "next to", "in front of", "sitting next to", "on display in",
            "hanging over", "covered with"}};
    private static final String[] PLACES = {
        "table", "street", "field", "grass", "beach", "road", "kitchen", "room", "bathroom", "track",
        "water", "snow", "park", "sidewalk", "building", "counter", "desk", "plate", "court", "bed",
        "couch", "city street", "living room", "parking lot", "train station", "tennis court",
        "baseball field", "ocean", "hill", "slope", "wall", "window", "fence", "tree", "tower",
        "river", "runway", "station", "sky", "shelf", "pole", "bench", "airport", "lake", "forest",
        "dirt road", "zoo", "pen", "corner", "market", "skate park", "restaurant", "office"};
    private static final String[] ADJECTIVES = {
        "white", "large", "black", "small", "red", "young", "blue", "green", "big", "old", "brown",
        "little", "yellow", "wooden", "tall", "busy", "empty", "orange", "pink", "gray", "clean",
        "dirty", "cute", "colorful", "grassy", "sunny", "snowy", "metal", "open", "crowded"};
    private static final String[] EXTRAS = {
        "in the background", "on a sunny day", "next to a %s", "near a %s", "with a %s",
        "while holding a %s", "and a %s", "in front of a %s", "on top of a %s", "at night",
        "during the day", "behind a %s", "under a %s"};
    private static final String[] OPENERS = {
        "", "", "", "", "", "", "", "there is ", "a picture of ", "a view of ", "this is ",
        "an image of ", "a close up of "};
    private static final String[] TAIL_SYLLABLES = {
        "ba", "ko", "ri", "ten", "mu", "sa", "lo", "vi", "der", "na", "pe", "gu", "tor", "li", "zan",
        "mo", "ke", "ra", "shi", "bel", "do", "fi", "wen", "ha", "cu", "ro", "ta", "me", "jo", "pol"};
    private static final int TAIL_WORDS = 40_000;

    private final long seed;
    private final double[] tailCdf;

    public CaptionGenerator(long seed) {
        this.seed = seed;
        // Zipf(s = 1.1) over the rare-word tail: few tail words are common, most are seen once or twice.
        tailCdf = new double[TAIL_WORDS];
        double sum = 0;
        for (int r = 0; r < TAIL_WORDS; r++) tailCdf[r] = sum += 1.0 / Math.pow(r + 1, 1.1);
        for (int r = 0; r < TAIL_WORDS; r++) tailCdf[r] /= sum;
    }

    /** One generated image: its references and its candidate (raw, untokenized). */
    public record Image(long id, List<String> references, String candidate) {}

    /** The i-th image (0-based); id is i + 1. Depends only on (seed, i). */
    public Image image(long i, int referencesPerImage) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        Scene scene = Scene.random(rnd, this);
        List<String> refs = new ArrayList<>(referencesPerImage);
        for (int k = 0; k < referencesPerImage; k++) refs.add(surface(rnd, scene.describe(rnd, this, false)));
        return new Image(i + 1, refs, surface(rnd, scene.describe(rnd, this, true)));
    }

    /** What one image shows; each caption of the image describes it in its own words. */
    private record Scene(int category, int noun, int count, int adjective, int action, int place,
                         int placeAdjective, String rare) {
        static Scene random(SplittableRandom rnd, CaptionGenerator g) {
            int category = weighted(rnd, CATEGORY_WEIGHTS);
            double u = rnd.nextDouble();
            int count = u < 0.78 ? 1 : u < 0.88 ? 2 : u < 0.92 ? 3 : 4; // 4 = "a group of"/"several"
            String rare = rnd.nextDouble() < 0.7 ? g.tailWord(rnd) : null;
            return new Scene(category, zipf(rnd, CATEGORIES[category].length), count,
                zipf(rnd, ADJECTIVES.length), zipf(rnd, ACTIONS[category].length), zipf(rnd, PLACES.length),
                zipf(rnd, ADJECTIVES.length), rare);
        }

        /** A caption for this scene; a candidate is more generic and sometimes wrong. */
        String describe(SplittableRandom rnd, CaptionGenerator g, boolean candidate) {
            double noise = candidate ? 0.25 : 0.12;
            String[][] nouns = CATEGORIES[category];
            int n = rnd.nextDouble() < noise ? zipf(rnd, nouns.length) : noun;
            int c = rnd.nextDouble() < noise ? 1 : count;
            StringBuilder s = new StringBuilder(80);
            s.append(OPENERS[candidate ? 0 : rnd.nextInt(OPENERS.length)]);
            boolean plural = c > 1;
            String adj = rnd.nextDouble() < (candidate ? 0.3 : 0.6)
                ? (rnd.nextDouble() < noise ? ADJECTIVES[zipf(rnd, ADJECTIVES.length)] : ADJECTIVES[adjective]) + " "
                : "";
            switch (c) {
                case 1 -> s.append(article(adj.isEmpty() ? nouns[n][0] : adj)).append(' ').append(adj).append(nouns[n][0]);
                case 2 -> s.append("two ").append(adj).append(nouns[n][1]);
                case 3 -> s.append("three ").append(adj).append(nouns[n][1]);
                default -> s.append(rnd.nextBoolean() ? "a group of " : "several ").append(adj).append(nouns[n][1]);
            }
            if (!candidate && rnd.nextDouble() < 0.35) s.append(plural ? " are" : " is");
            else if (candidate && rnd.nextDouble() < 0.5) s.append(plural ? " are" : " is");
            String[] acts = ACTIONS[category];
            s.append(' ').append(acts[rnd.nextDouble() < noise * 2 ? zipf(rnd, acts.length) : action]);
            int p = rnd.nextDouble() < noise * 2 ? zipf(rnd, PLACES.length) : place;
            String placeAdj = rnd.nextDouble() < 0.4 ? ADJECTIVES[placeAdjective] + " " : "";
            String where = rnd.nextDouble() < 0.12 ? g.tailWord(rnd) : PLACES[p];
            s.append(rnd.nextDouble() < 0.6 ? " a " : " the ").append(placeAdj).append(where);
            // Extras give the long tail of lengths: geometric, more of them in references.
            double more = candidate ? 0.3 : 0.5;
            while (rnd.nextDouble() < more) {
                String extra = EXTRAS[zipf(rnd, EXTRAS.length)];
                if (extra.contains("%s")) {
                    String what = rare != null && rnd.nextDouble() < 0.5 ? rare
                        : rnd.nextDouble() < 0.4 ? g.tailWord(rnd) : PLACES[zipf(rnd, PLACES.length)];
                    extra = extra.replace("%s", what);
                }
                s.append(rnd.nextDouble() < 0.1 ? ", " : " ").append(extra);
                more *= 0.5;
            }
            return s.toString();
        }
    }

    /** Raw surface form: COCO captions are often capitalised and sometimes end with a period. */
    private static String surface(SplittableRandom rnd, String caption) {
        String s = rnd.nextDouble() < 0.55 ? Character.toUpperCase(caption.charAt(0)) + caption.substring(1) : caption;
        double u = rnd.nextDouble();
        return u < 0.35 ? s + "." : u < 0.38 ? s + " ." : u < 0.40 ? s + " " : s;
    }

    private String tailWord(SplittableRandom rnd) {
        int r = java.util.Arrays.binarySearch(tailCdf, rnd.nextDouble());
        int rank = r >= 0 ? r : Math.min(-r - 1, TAIL_WORDS - 1);
        // Rank -> a pronounceable pseudo-word (base-30 digits as syllables), unique per rank.
        StringBuilder w = new StringBuilder();
        int x = rank + TAIL_SYLLABLES.length; // at least two syllables
        while (x > 0) {
            w.append(TAIL_SYLLABLES[x % TAIL_SYLLABLES.length]);
            x /= TAIL_SYLLABLES.length;
        }
        return w.toString();
    }

    private static String article(String nextWord) {
        return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a";
    }

    /** Index in [0, n) with Zipf-like weights 1/(r+1): early entries are common. */
    private static int zipf(SplittableRandom rnd, int n) {
        double h = Math.log(n + 1.0);
        int r = (int) Math.floor(Math.exp(rnd.nextDouble() * h)) - 1;
        return Math.min(Math.max(r, 0), n - 1);
    }

    private static int weighted(SplittableRandom rnd, double[] weights) {
        double u = rnd.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) if ((u -= weights[i]) < 0) return i;
        return weights.length - 1;
    }

    /**
     * Writes the annotation file and the results file (gzip-compressed when a name ends in .gz) in
     * place, for tests and benchmarks; {@code submit.sh generate} writes through {@link GenerateOutput}.
     */
    public void write(long images, int referencesPerImage, Path refsFile, Path resultsFile) throws IOException {
        write(images, referencesPerImage, open(refsFile), open(resultsFile));
    }

    /** Writes the annotation file into {@code refsOut} and the results file into {@code resultsOut}; closes both. */
    public void write(long images, int referencesPerImage, OutputStream refsOut, OutputStream resultsOut) throws IOException {
        JsonFactory json = new JsonFactory();
        try (JsonGenerator refs = json.createGenerator(refsOut, JsonEncoding.UTF8);
             JsonGenerator res = json.createGenerator(resultsOut, JsonEncoding.UTF8)) {
            refs.writeStartObject();
            refs.writeObjectFieldStart("info");
            refs.writeStringField("description", "capeval synthetic captions, seed " + seed);
            refs.writeEndObject();
            refs.writeArrayFieldStart("images");
            for (long i = 0; i < images; i++) {
                refs.writeRaw('\n');
                refs.writeStartObject();
                refs.writeNumberField("id", i + 1);
                refs.writeEndObject();
            }
            refs.writeEndArray();
            refs.writeArrayFieldStart("annotations");
            res.writeStartArray();
            long annotationId = 1;
            for (long i = 0; i < images; i++) {
                Image img = image(i, referencesPerImage);
                for (String caption : img.references()) {
                    refs.writeRaw('\n');
                    refs.writeStartObject();
                    refs.writeNumberField("image_id", img.id());
                    refs.writeNumberField("id", annotationId++);
                    refs.writeStringField("caption", caption);
                    refs.writeEndObject();
                }
                res.writeRaw('\n');
                res.writeStartObject();
                res.writeNumberField("image_id", img.id());
                res.writeStringField("caption", img.candidate());
                res.writeEndObject();
            }
            refs.writeEndArray();
            refs.writeEndObject();
            refs.writeRaw('\n');
            res.writeEndArray();
            res.writeRaw('\n');
        }
    }

    private static OutputStream open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return file.toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    /** Command line of {@code submit.sh generate}. */
    @Command(name = "generate", header = "Writes synthetic COCO caption data (no Spark).",
            description = "N images x K references + 1 candidate, with caption statistics modelled on the real val2014 "
                    + "captions. Seeded and deterministic; .gz names are gzip-compressed. Both files are written under "
                    + "temporary names beside them and moved into place when both are complete; an existing file is kept "
                    + "unless --overwrite. Exit status: 0 done, 2 bad input (an option, an output path that cannot be "
                    + "written, an existing or overlapping output), 1 any other failure (e.g. a full disk); a failed run "
                    + "leaves no output.")
    public static final class Options implements JobCommand {
        /** The most images: score numbers the images of a set with an int. */
        static final long MAX_IMAGES = Integer.MAX_VALUE;

        @Option(names = "--images", required = true, paramLabel = "N", description = "number of images, 1 to " + MAX_IMAGES)
        long images;

        @Option(names = "--refs", required = true, paramLabel = "PATH", description = "the COCO annotation file to write")
        Path refs;

        @Option(names = "--results", required = true, paramLabel = "PATH", description = "the COCO results file to write")
        Path results;

        @Option(names = "--seed", paramLabel = "S", description = "(default ${DEFAULT-VALUE})")
        long seed = 42;

        @Option(names = "--refs-per-image", paramLabel = "K", description = "reference captions per image (default ${DEFAULT-VALUE})")
        int perImage = 5;

        @Option(names = "--overwrite", description = "replace existing --refs and --results files")
        boolean overwrite;

        @Override
        public void validate() {
            if (images < 1 || images > MAX_IMAGES) {
                throw new IllegalArgumentException("--images must be between 1 and " + MAX_IMAGES + ", got " + images);
            }
            if (perImage < 1) throw new IllegalArgumentException("--refs-per-image must be at least 1, got " + perImage);
        }

        @Override
        public boolean needsSpark(String master) {
            return false;
        }

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            try (GenerateOutput out = GenerateOutput.open(refs, results, overwrite)) {
                new CaptionGenerator(seed).write(images, perImage, out.refs(), out.results());
                out.commit();
            } catch (Exception e) {
                return JobFailure.report("generate", e);
            }
            System.err.printf("generate: %d images x %d references + 1 candidate (seed %d) -> %s, %s in %.1f s%n",
                images, perImage, seed, refs, results, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
