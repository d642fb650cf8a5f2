package org.capeval.metrics.meteor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * METEOR's own English data, supplied by the user (not shipped with capeval): the function words
 * ({@code english.words}), the non-breaking prefixes of {@code -norm} ({@code english.prefixes}),
 * and optionally the paraphrase table ({@code paraphrase-en.gz}). Small and serializable; the
 * paraphrase table itself is read once per JVM from its path when first needed.
 */
public final class MeteorData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Set<String> functionWords;
    private final Map<String, Boolean> nonBreakingPrefixes;
    private final String paraphrasePath; // null: paraphrase stage off

    private MeteorData(Set<String> functionWords, Map<String, Boolean> nonBreakingPrefixes, String paraphrasePath) {
        this.functionWords = Set.copyOf(functionWords);
        this.nonBreakingPrefixes = Map.copyOf(nonBreakingPrefixes);
        this.paraphrasePath = paraphrasePath;
    }

    /** Data given directly (tests): function words and prefixes (prefix → numeric-only). */
    public static MeteorData of(Set<String> functionWords, Map<String, Boolean> nonBreakingPrefixes) {
        return new MeteorData(functionWords, nonBreakingPrefixes, null);
    }

    /**
     * Reads a METEOR data folder. Each file is looked for flat in {@code dir} and where the METEOR 1.5
     * distribution keeps it ({@code function/english.words} and {@code nonbreaking/english.prefixes},
     * also under {@code resources/}).
     *
     * @param paraphraseTable the official {@code paraphrase-en.gz}, or null to run without the
     *                        paraphrase stage (the result is then labelled as such)
     * @throws IllegalArgumentException naming what is missing and what to supply
     */
    public static MeteorData load(Path dir, Path paraphraseTable) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("METEOR data folder " + dir + " does not exist: --meteor-data must name a"
                    + " folder holding METEOR 1.5's english.words and english.prefixes (as in the METEOR"
                    + " distribution's resources/function and resources/nonbreaking)");
        }
        Path words = find(dir, "english.words", "function");
        Path prefixes = find(dir, "english.prefixes", "nonbreaking");
        String para = null;
        if (paraphraseTable != null) {
            if (!Files.isRegularFile(paraphraseTable)) {
                throw new IllegalArgumentException("METEOR paraphrase table " + paraphraseTable
                        + " does not exist (--meteor-paraphrase expects METEOR 1.5's data/paraphrase-en.gz)");
            }
            para = paraphraseTable.toAbsolutePath().normalize().toString();
        }
        return new MeteorData(readFunctionWords(words), readPrefixes(prefixes), para);
    }

    private static Path find(Path dir, String file, String distributionFolder) {
        List<Path> tried = new ArrayList<>();
        for (Path p : new Path[] {dir.resolve(file), dir.resolve(distributionFolder).resolve(file),
                dir.resolve("resources").resolve(distributionFolder).resolve(file)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        throw new IllegalArgumentException("METEOR data folder " + dir + " has no " + file + " (looked for " + tried
                + "); it comes with METEOR 1.5 (github.com/cmu-mtlab/meteor, resources/" + distributionFolder + ")");
    }

    /** One word per line, used as written (METEOR does not trim them). */
    private static Set<String> readFunctionWords(Path file) {
        Set<String> out = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("METEOR function words " + file + " could not be read", e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("METEOR function words " + file + " is empty");
        }
        return out;
    }

    /** "prefix [#NUMERIC_ONLY#]" per line; blank lines and "#" comments skipped. */
    private static Map<String, Boolean> readPrefixes(Path file) {
        Map<String, Boolean> out = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = MeteorNormalizer.splitWhitespace(line);
                if (parts.length == 0 || parts[0].startsWith("#")) {
                    continue;
                }
                out.put(parts[0], parts.length > 1 && parts[1].equals("#NUMERIC_ONLY#"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("METEOR non-breaking prefixes " + file + " could not be read", e);
        }
        return out;
    }

    public Set<String> functionWords() {
        return functionWords;
    }

    public Map<String, Boolean> nonBreakingPrefixes() {
        return nonBreakingPrefixes;
    }

    /** Whether the paraphrase stage runs (a table was given). */
    public boolean hasParaphraseTable() {
        return paraphrasePath != null;
    }

    /** The paraphrase table, read on first use (once per JVM); null when none was given. */
    ParaphraseTable paraphraseTable() {
        return paraphrasePath == null ? null : ParaphraseTable.load(Path.of(paraphrasePath));
    }

    /** "none", or the paraphrase table's file name and size in bytes. */
    String paraphraseLabel() {
        if (paraphrasePath == null) {
            return "none";
        }
        Path p = Path.of(paraphrasePath);
        try {
            return p.getFileName() + ":" + Files.size(p) + "B";
        } catch (IOException e) {
            return p.getFileName().toString();
        }
    }

    /** Content fingerprint for the signature: sizes and a hash of the word and prefix lists. */
    String fingerprint() {
        int h = new java.util.TreeSet<>(functionWords).hashCode() * 31 + new java.util.TreeMap<>(nonBreakingPrefixes).hashCode();
        return "fw" + functionWords.size() + ",nbp" + nonBreakingPrefixes.size() + ",h" + Integer.toHexString(h);
    }
}
