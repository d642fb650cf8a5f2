package org.capeval.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.capeval.jobs.leaderboard.LeaderboardOptions;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.Signature;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line of every job, in this JVM with captured streams: help (with the Spark options
 * and the metric list), --version, and usage errors of two lines that name a misspelt option and
 * suggest the right one.
 */
public class CliTest {
    /** What submit.sh takes for Spark (the options users pass to spark-submit), which every help must document. */
    static final List<String> SPARK_OPTIONS = List.of("--master URL", "--conf K=V", "--driver-memory X", "--executor-memory X",
            "--total-executor-cores N", "--executor-cores N", "--name NAME");
    static final List<String> JOBS = List.of("score", "leaderboard", "train", "generate");

    public record Run(int status, String out, String err) {
        public List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    /** Cli.run as the launcher calls it, except that a job needing Spark is not started (also GenerateCommandTest's). */
    public static Run run(String... args) {
        return captured(() -> Cli.run(args, "local[*]", Cli.Mode.RUN_WITHOUT_SPARK));
    }

    /** The exit status {@code job} returns, with what it printed on stdout and stderr meanwhile. */
    public static Run captured(java.util.function.IntSupplier job) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            status = job.getAsInt();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyHelpExitsZeroAndListsTheSparkOptions() {
        List<String[]> helps = new ArrayList<>();
        helps.add(new String[] {"--help"});
        helps.add(new String[] {"-h"});
        for (String job : JOBS) {
            helps.add(new String[] {job, "--help"});
            helps.add(new String[] {job, "-h"});
        }
        for (String[] args : helps) {
            Run r = run(args);
            String what = String.join(" ", args);
            assertEquals(0, r.status(), what);
            assertEquals("", r.err(), what);
            for (String option : SPARK_OPTIONS) {
                assertTrue(r.out().contains(option), what + " must list " + option + ":\n" + r.out());
            }
        }
        Run top = run("--help");
        for (String job : JOBS) {
            assertTrue(top.out().contains("  " + job + " "), "the top-level help lists " + job + ":\n" + top.out());
        }
        assertTrue(run("score", "--help").out().contains("--refs=PATH"), "score's help lists its options");
    }

    @Test
    void helpAndErrorsShowTheSameMetricList() {
        List<String> names = new ArrayList<>(Metrics.ALL.keySet());
        names.add("spice");
        String known = "known: " + String.join(", ", names);
        assertEquals(names, MetricNames.all());
        String help = run("score", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains(known + ")"), help);

        Run bad = run("score", "--refs", "r.json", "--results", "c.json", "--out", "o", "--metrics", "bleu,blue");
        assertEquals(2, bad.status());
        assertTrue(bad.errLines().get(0).contains("unknown metric 'blue'") && bad.errLines().get(0).contains(known + ")"), bad.err());

        // the leaderboard does not run SPICE: the registry's names, in its help and in its errors
        String registry = "known: " + String.join(", ", Metrics.ALL.keySet()) + ")";
        assertTrue(run("leaderboard", "--help").out().replaceAll("\\s+", " ").contains(registry));
        Run lb = run("leaderboard", "--refs", "r", "--submissions", "s", "--out", "o", "--metrics", "spice");
        assertEquals(2, lb.status());
        assertTrue(lb.errLines().get(0).contains(registry), lb.err());
    }

    @Test
    void leaderboardRankByMustBeAMetricOfTheNight() {
        String[] base = {"leaderboard", "--refs", "r", "--submissions", "s", "--out", "o"};
        Run typo = run(concat(base, "--rank-by", "CIDEr-D"));
        assertEquals(2, typo.status(), typo.err());
        assertEquals("--rank-by must be one of the metrics computed (Bleu_1, Bleu_2, Bleu_3, Bleu_4, ROUGE_L, CIDEr), got 'CIDEr-D'",
                typo.errLines().get(0).replaceFirst("^.*?(--rank-by)", "$1"), typo.err());
        assertFalse(typo.err().contains("\tat "), "no stack trace");
        Run notComputed = run(concat(base, "--metrics", "bleu,rouge", "--rank-by", "CIDEr"));
        assertEquals(2, notComputed.status(), notComputed.err());
        assertTrue(notComputed.errLines().get(0).endsWith("(Bleu_1, Bleu_2, Bleu_3, Bleu_4, ROUGE_L), got 'CIDEr'"), notComputed.err());
        // without --rank-by, a night that does not compute CIDEr ranks by its last key
        assertEquals("ROUGE_L", LeaderboardOptions.parse(concat(java.util.Arrays.copyOfRange(base, 1, base.length), "--metrics", "bleu,rouge")).rankBy());
        assertEquals("Bleu_4", LeaderboardOptions.parse(concat(java.util.Arrays.copyOfRange(base, 1, base.length), "--metrics", "bleu")).rankBy());

        LeaderboardOptions bleu = LeaderboardOptions.parse(new String[] {"--refs", "r", "--submissions", "s", "--out", "o",
                "--metrics", "bleu,rouge", "--rank-by", "ROUGE_L", "--significance", "Bleu_4"});
        assertEquals("ROUGE_L", bleu.rankBy());
        assertEquals(List.of("Bleu_4", "ROUGE_L"), bleu.significanceKeys(), "the primary metric is always tested");
        assertEquals("CIDEr", LeaderboardOptions.parse(new String[] {"--refs", "r", "--submissions", "s", "--out", "o"}).rankBy());
    }

    @Test
    void leaderboardSignificanceKeysMustBeMetricsOfTheNight() {
        String[] base = {"leaderboard", "--refs", "r", "--submissions", "s", "--out", "o"};
        Run unknown = run(concat(base, "--significance", "Bleu_9"));
        assertEquals(2, unknown.status(), unknown.err());
        assertEquals("--significance must be one of the metrics computed (Bleu_1, Bleu_2, Bleu_3, Bleu_4, ROUGE_L, CIDEr), got 'Bleu_9'",
                unknown.errLines().get(0).replaceFirst("^.*?(--significance)", "$1"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), "no stack trace");
        Run notComputed = run(concat(base, "--metrics", "bleu", "--significance", "Bleu_4,CIDEr"));
        assertEquals(2, notComputed.status(), notComputed.err());
        assertTrue(notComputed.errLines().get(0).endsWith("(Bleu_1, Bleu_2, Bleu_3, Bleu_4), got 'CIDEr'"), notComputed.err());
        // the default names the default metrics' keys: those the night computes are tested
        String[] args = java.util.Arrays.copyOfRange(base, 1, base.length);
        assertEquals(List.of("Bleu_4", "ROUGE_L", "CIDEr"), LeaderboardOptions.parse(args).significanceKeys());
        assertEquals(List.of("Bleu_4"), LeaderboardOptions.parse(concat(args, "--metrics", "bleu")).significanceKeys());
        assertEquals(List.of("ROUGE_L", "CIDEr"), LeaderboardOptions.parse(concat(args, "--significance", "ROUGE_L")).significanceKeys());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void readmeShowsTheSameMetricLists() throws IOException {
        Path readme = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("README.md");
        String text = Files.readString(readme);
        assertTrue(text.contains("(known: " + MetricNames.known() + ")"), "README.md's score usage must list " + MetricNames.known());
        assertTrue(text.contains("(known: " + String.join(", ", Metrics.ALL.keySet()) + ")\n"),
                "README.md's leaderboard usage must list " + Metrics.ALL.keySet());
    }

    @Test
    void versionPrintsTheSignaturesVersion() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V"}, new String[] {"score", "--version"},
                new String[] {"train", "-V"})) {
            Run r = run(args);
            assertEquals(0, r.status(), String.join(" ", args));
            assertEquals("capeval " + Signature.version(), r.out().strip(), String.join(" ", args));
        }
    }

    @Test
    void misspeltOptionIsNamedFirstWithASuggestion() {
        String[][] cases = {
            // args, the misspelt option, the suggestion
            {"score --refz r.json --results c.json --out o", "--refz", "--refs"},
            {"score --refz r.json", "--refz", "--refs"}, // reported before the missing options
            {"score --refs r --results c --out o --rsults c", "--rsults", "--results"}, // typo in the first letters
            {"score --refs r --results c --out o --metric bleu", "--metric", "--metrics"},
            {"score --refs r --results c --out o --metrics=bleu --pretokenised", "--pretokenised", "--pretokenized"},
            {"leaderboard --refs r --submissions s --out o --bootstrap-sample 10", "--bootstrap-sample", "--bootstrap-samples"},
            {"train --data d --model logistic:2 --out o --epoch 3", "--epoch", "--epochs"},
            {"generate --images 3 --refs r --results c --seeds 1", "--seeds", "--seed"},
        };
        for (String[] c : cases) {
            Run r = run(c[0].split(" "));
            assertEquals(2, r.status(), c[0]);
            assertEquals("", r.out(), c[0]);
            assertEquals(2, r.errLines().size(), c[0] + ":\n" + r.err());
            String first = r.errLines().get(0);
            assertTrue(first.contains("'" + c[1] + "'") && first.contains("did you mean " + c[2] + "?"), c[0] + ":\n" + r.err());
            String job = c[0].split(" ")[0];
            assertEquals("Try 'submit.sh " + job + " --help' for more information.", r.errLines().get(1));
        }
        Run job = run("scor", "--refs", "r");
        assertEquals(2, job.status());
        assertTrue(job.errLines().get(0).contains("unknown job 'scor'; did you mean score?"), job.err());
        assertEquals("Try 'submit.sh --help' for more information.", job.errLines().get(1));
    }

    @Test
    void usageErrorsAreTwoLinesAndExitTwo() {
        String base = "score --refs r.json --results c.json --out o ";
        String[][] cases = {
            {"", "no job given"},
            {"score", "Missing required options"},
            {"score --refs r.json --results c.json", "--out"},
            {base + "--threads many", "--threads 'many' is not an integer"},
            {base + "--threads 0x10", "--threads '0x10' is not an integer"},
            {base + "--threads 99999999999", "--threads '99999999999' is too large (at most 2147483647)"},
            {base + "--threads -99999999999", "--threads '-99999999999' is too small (at least -2147483648)"},
            {"generate --images 99999999999999999999 --refs r --results c", "--images '99999999999999999999' is too large (at most 9223372036854775807)"},
            {"generate --images 1e3 --refs r --results c", "--images '1e3' is not an integer"},
            {"train --data d --model logistic:2 --out o --lr fast", "--lr 'fast' is not a number"},
            {"train --data d --model logistic:2 --out o --lr 1.5d", "--lr '1.5d' is not a number"},
            {"train --data d --model logistic:2 --out o --lr NaN", "--lr 'NaN' is not a finite number"},
            {base + "--threads 0", "--threads must be a positive integer, not 0"},
            {base + "--engine fast", "--engine must be auto, spark or local, not fast"},
            {base + "--engine local --metrics bleu,spice", "--engine local cannot run spice"},
            {base + "--metrics bleu --idf x.idf", "--idf given but no selected metric uses document frequencies"},
            {base + "--metrics meteor", "--meteor-data"},
            {base + "--metrics bleu,spice,spice", "metric 'spice' given twice"},
            {base + "--metrics ,", "no metric selected in --metrics (known: " + MetricNames.known() + ")"},
            {base + "extra", "unexpected argument 'extra'"},
            {"leaderboard --refs r --submissions s --out o --date 2026-13-01", "--date must be YYYY-MM-DD"},
            {"train --data d --model mlp:3-two-1 --out o", "--model 'mlp:3-two-1' does not parse: layer size 'two' is not an integer"},
            {"train --data d --model logistic:2 --out o --optimizer rmsprop", "--optimizer 'rmsprop' is not known"},
            {"generate --images 0 --refs r --results c", "--images must be between 1 and 2147483647, got 0"},
            {"generate --images 99999999999 --refs r --results c", "--images must be between 1 and 2147483647"},
        };
        for (String[] c : cases) {
            Run r = run(c[0].isEmpty() ? new String[0] : c[0].split(" "));
            assertEquals(2, r.status(), c[0]);
            assertEquals("", r.out(), c[0]);
            assertEquals(2, r.errLines().size(), c[0] + ":\n" + r.err());
            assertTrue(r.errLines().get(0).contains(c[1]), c[0] + ":\n" + r.err());
            assertTrue(r.errLines().get(1).startsWith("Try 'submit.sh"), c[0] + ":\n" + r.err());
        }
    }

    @Test
    void numbersAreReadInDecimal() {
        assertEquals(42L, Cli.integer("42", 1, 100));
        assertEquals(-3L, Cli.integer("-3", -5, 5));
        assertEquals(7L, Cli.integer("+7", 0, 9));
        assertEquals(10L, Cli.integer("010", 0, 99)); // not octal
        assertEquals(Long.MIN_VALUE, Cli.integer(Long.toString(Long.MIN_VALUE), Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(0.001, Cli.decimal("1e-3"));
        assertEquals(0.5, Cli.decimal(".5"));
        assertEquals(2.0, Cli.decimal("2."));
        assertEquals(-1.5e10, Cli.decimal("-1.5E+10"));
        assertTrue(Double.isNaN(Cli.decimal("NaN")));
        for (String bad : new String[] {"", "-", "1.0", "1_000", " 1", "0x1F", "1L", "\u0661"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> Cli.integer(bad, 0, 1 << 30), bad);
        }
        for (String bad : new String[] {"", ".", "e5", "1e", "0x1p3", "1.5f", "inf", "1,5"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> Cli.decimal(bad), bad);
        }
    }

    @Test
    void aValidSparkJobIsLeftToSparkSubmit() {
        assertEquals(Cli.NEEDS_SPARK, run("train", "--data", "d.csv", "--model", "logistic:2", "--out", "o").status());
        assertEquals(Cli.NEEDS_SPARK, run("leaderboard", "--refs", "r", "--submissions", "s", "--out", "o").status());
        assertEquals(Cli.NEEDS_SPARK, run("score", "--refs", "r", "--results", "c", "--out", "o", "--engine", "spark").status());
    }

    @Test
    void aShortSparkRunSaysSo() throws IOException {
        Path d = Files.createTempDirectory("cli-short");
        try {
            Path refs = Files.writeString(d.resolve("r.json"), "{}"), results = Files.writeString(d.resolve("c.json"), "[]");
            assertEquals(Cli.NEEDS_SPARK_SHORT, run("score", "--refs", refs.toString(), "--results", results.toString(),
                    "--out", d.resolve("o").toString(), "--engine", "spark").status());
        } finally {
            Files.deleteIfExists(d.resolve("r.json"));
            Files.deleteIfExists(d.resolve("c.json"));
            Files.delete(d);
        }
    }

    @Test
    void parseThrowsTheFirstLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cli.parse("score", new String[] {"--refz", "r.json", "--results", "c.json", "--out", "o"}));
        assertEquals("unknown option '--refz'; did you mean --refs?", e.getMessage());
    }

    @Test
    void suggestionsAreTheClosestNames() {
        assertEquals(List.of("--refs"), Cli.closest("--refz", List.of("--refs", "--results"), List.of()));
        assertEquals(List.of("--results"), Cli.closest("--rsults", List.of(), List.of("--refs", "--results", "--out")));
        assertEquals(List.of(), Cli.closest("--frobnicate", List.of(), List.of("--refs", "--results", "--out")));
        assertEquals(1, Cli.distance("--metircs", "--metrics"), "a transposition is one edit");
    }
}
