package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.InputFiles;
import org.capeval.metrics.coco.CocoJson;

/**
 * Finds a night's submissions. Layout (either form; paths are Hadoop URIs, plain paths are local):
 *
 * <ul>
 *   <li><b>a directory</b>: every {@code <id>.meta.json} is one submission, its results file is
 *       {@code <id>.json} or {@code <id>.json.gz} next to it (or the metadata's {@code "results"}
 *       path, relative to the directory). A results file without metadata is reported as an error.</li>
 *   <li><b>a list file</b>: one metadata path per line (relative to the list file's directory;
 *       blank lines and {@code #} comments ignored).</li>
 * </ul>
 *
 * Metadata: {@code {"name": "...", "team": "...", "date": "YYYY-MM-DD", "results": "optional path"}}.
 * Problems (unreadable metadata, invalid name, missing results file, duplicate name) do not stop
 * the night: they become {@link Submission#error()} and appear in the page and the table.
 * Duplicate names: every submission carrying the name is rejected (none is silently preferred).
 */
public final class SubmissionDiscovery {
    static final String META_SUFFIX = ".meta.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SubmissionDiscovery() {}

    public static List<Submission> discover(String dirOrList, Configuration hadoop) throws IOException {
        return discover(dirOrList, hadoop, new MetadataFiles());
    }

    /** As {@link #discover(String, Configuration)}, with the metadata files {@code metadata} has read already (the night's check). */
    static List<Submission> discover(String dirOrList, Configuration hadoop, MetadataFiles metadata) throws IOException {
        Path path = InputFiles.hadoopPath(dirOrList);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) throw new IllegalArgumentException("--submissions " + dirOrList + ": no such file or directory");
        List<Submission> found = new ArrayList<>();
        boolean directory = fs.getFileStatus(path).isDirectory();
        if (directory) {
            Map<String, Path> metas = new TreeMap<>();
            Map<String, Path> results = new TreeMap<>();
            for (FileStatus st : fs.listStatus(path)) {
                if (!st.isFile()) continue;
                String file = st.getPath().getName();
                if (file.endsWith(META_SUFFIX)) metas.put(stem(file), st.getPath());
                else if (isJson(file)) results.put(stem(file), st.getPath());
            }
            for (Map.Entry<String, Path> m : metas.entrySet()) {
                found.add(readMeta(fs, m.getValue(), m.getValue().toString(), m.getKey(), metadata));
            }
            for (Map.Entry<String, Path> r : results.entrySet()) {
                if (!metas.containsKey(r.getKey())) {
                    found.add(new Submission(r.getKey(), null, null, r.getValue().toString(), r.getValue().toString(),
                            "no metadata file " + r.getKey() + META_SUFFIX + " for results file " + r.getValue().getName()));
                }
            }
        } else {
            for (ListEntry e : readList(dirOrList, path, fs)) {
                Path meta = e.meta();
                String entry = e.text();
                String stem = stem(meta.getName());
                if (!meta.getName().endsWith(META_SUFFIX)) {
                    found.add(new Submission(stem, null, null, entry, null,
                            dirOrList + " line " + e.line() + ": expected a " + META_SUFFIX + " file, got " + entry));
                } else if (!fs.exists(meta)) { // the path tried: relative entries are resolved against the list file's directory
                    String tried = InputFiles.shown(meta);
                    found.add(new Submission(stem, null, null, tried, null, dirOrList + " line " + e.line() + ": no such file " + tried
                            + (tried.equals(entry) ? "" : " (" + entry + " relative to the list file's directory)")));
                } else {
                    found.add(readMeta(fs, meta, InputFiles.shown(meta), stem, metadata));
                }
            }
        }
        if (found.isEmpty()) throw nothingIn(dirOrList, directory);
        return rejectDuplicates(found);
    }

    /**
     * --submissions names no submission at all: bad input, refused before anything is written (an
     * empty night would publish a board without a row over the last one; a wrong path or an
     * unmounted directory looks like this).
     */
    private static IllegalArgumentException nothingIn(String dirOrList, boolean directory) {
        return new IllegalArgumentException("--submissions " + dirOrList + (directory
                ? ": no submission in the directory (expected <id>" + META_SUFFIX + " with <id>.json[.gz])"
                : ": the list names no " + META_SUFFIX + " file (only blank lines and comments)"));
    }

    /**
     * The metadata files one night has read, each opened once: the overlap check before Spark
     * starts, its repetition before the lock and the discovery after it parse the same content
     * (on an object store each open is a request, and a night has hundreds of submissions), so
     * the results file the check compared with --out is the one the night reads. A file that could
     * not be read is not kept: the discovery reads it again and reports why.
     */
    public static final class MetadataFiles {
        private final Map<Path, JsonNode> read = new HashMap<>(); // by qualified path; null for an empty file

        /** The parsed content of {@code meta}, read from {@code fs} the first time only. */
        JsonNode read(FileSystem fs, Path meta) throws IOException {
            Path key = fs.makeQualified(meta);
            if (!read.containsKey(key)) {
                try (InputStream in = fs.open(meta)) {
                    read.put(key, JSON.readTree(in));
                }
            }
            return read.get(key);
        }
    }

    /** One entry of a list file: its line number, its text, and the path it names. */
    record ListEntry(int line, String text, Path meta) {}

    /**
     * A file a night reads that no option names, for the check that --out overlaps none: how a
     * message names it (e.g. {@code --submissions list.txt line 3 (a.meta.json) results file (a.json)})
     * and its path (a local one as a plain path).
     */
    public record Input(String what, String path) {}

    /**
     * The metadata files of {@code dirOrList} (a list's entries; a directory's, which lie inside it
     * unless they are links) and the results file each points to, found as {@link #discover} finds
     * it but only by its path: no results file is read. Through {@code hadoop}; with {@code hadoop}
     * null (before Spark starts) only a local --submissions is looked at, any other gives none. A
     * metadata file that cannot be read gives no results file (the night rejects it); a list file
     * that is not one, and a --submissions that names no submission at all, are bad input.
     */
    public static List<Input> inputs(String dirOrList, Configuration hadoop, MetadataFiles metadata) throws IOException {
        Path path;
        FileSystem fs;
        if (hadoop != null) {
            path = InputFiles.hadoopPath(dirOrList);
            fs = path.getFileSystem(hadoop);
        } else {
            java.nio.file.Path local = InputFiles.localPath(dirOrList);
            if (local == null) return List.of();
            path = new Path(local.toUri());
            fs = FileSystem.getLocal(new Configuration());
        }
        List<Input> inputs = new ArrayList<>();
        if (fs.getFileStatus(path).isFile()) {
            List<ListEntry> entries = readList(dirOrList, path, fs);
            if (entries.isEmpty()) throw nothingIn(dirOrList, false);
            for (ListEntry e : entries) {
                String entry = "--submissions " + dirOrList + " line " + e.line() + " (" + e.text() + ")";
                inputs.add(new Input(entry, InputFiles.shown(e.meta())));
                addResults(inputs, entry, fs, e.meta(), metadata);
            }
        } else {
            Map<String, Path> metas = new TreeMap<>();
            boolean resultsOnly = false; // a results file without metadata: the night rejects it on the board
            for (FileStatus st : fs.listStatus(path)) {
                if (!st.isFile()) continue;
                String file = st.getPath().getName();
                if (file.endsWith(META_SUFFIX)) metas.put(file, st.getPath());
                else resultsOnly |= isJson(file);
            }
            if (metas.isEmpty() && !resultsOnly) throw nothingIn(dirOrList, true);
            for (Map.Entry<String, Path> m : metas.entrySet()) {
                String entry = "--submissions " + dirOrList + " (" + m.getKey() + ")";
                inputs.add(new Input(entry, InputFiles.shown(m.getValue())));
                addResults(inputs, entry, fs, m.getValue(), metadata);
            }
        }
        return inputs;
    }

    /** Adds the results file that the metadata file {@code meta} points to, when there is one. */
    private static void addResults(List<Input> inputs, String entry, FileSystem fs, Path meta, MetadataFiles metadata) {
        if (!meta.getName().endsWith(META_SUFFIX)) return;
        String explicit;
        try {
            JsonNode node = metadata.read(fs, meta);
            if (node == null || !node.isObject()) return;
            explicit = text(node, "results");
        } catch (IOException | IllegalArgumentException e) { // missing, unreadable, on another store: the night's to judge
            return;
        }
        Path results = resultsPath(fs, meta, stem(meta.getName()), explicit);
        if (results != null) {
            inputs.add(new Input(entry + (explicit != null ? " field \"results\" (" + explicit + ")" : " results file (" + results.getName() + ")"),
                    InputFiles.shown(results)));
        }
    }

    /** The list file's entries (blank lines and comments skipped; relative entries resolved against its directory). */
    private static List<ListEntry> readList(String dirOrList, Path path, FileSystem fs) throws IOException {
        if (isJson(path.getName())) throw notAList(dirOrList, "a JSON file, not a list");
        List<ListEntry> entries = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) continue;
                if (entries.isEmpty() && (entry.startsWith("[") || entry.startsWith("{"))) {
                    throw notAList(dirOrList, "a JSON file, not a list (line " + lineNo + ")");
                }
                Path meta;
                try {
                    meta = new Path(entry).isAbsolute() || entry.contains(":") ? new Path(entry) : new Path(path.getParent(), entry);
                } catch (IllegalArgumentException e) { // Hadoop's words are a URISyntaxException's
                    throw notAList(dirOrList, "line " + lineNo + " is not a path");
                }
                entries.add(new ListEntry(lineNo, entry, meta));
            }
        }
        return entries;
    }

    /** --submissions names a file that is not a list of metadata files: bad input, saying what was expected. */
    private static IllegalArgumentException notAList(String file, String why) {
        return new IllegalArgumentException("--submissions " + file + ": " + why + "; expected a directory of submissions (<id>"
                + META_SUFFIX + " + <id>.json[.gz]) or a list file (one " + META_SUFFIX + " path per line)");
    }

    /** Every submission whose name is used more than once gets an error naming the other sources. */
    static List<Submission> rejectDuplicates(List<Submission> subs) {
        Map<String, List<Submission>> byName = new LinkedHashMap<>();
        for (Submission s : subs) byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        List<Submission> out = new ArrayList<>();
        for (Submission s : subs) {
            List<Submission> same = byName.get(s.name());
            if (same.size() > 1 && s.valid()) {
                List<String> sources = same.stream().map(Submission::source).sorted().toList();
                out.add(s.withError("duplicate submission name (submitted " + same.size() + " times: " + String.join(", ", sources) + ")"));
            } else {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Submission::name).thenComparing(Submission::source));
        return out;
    }

    /** {@code source} names the metadata file in the history, a list's entry as a plain path when local. */
    private static Submission readMeta(FileSystem fs, Path meta, String source, String stem, MetadataFiles metadata) {
        JsonNode node;
        try {
            node = metadata.read(fs, meta);
        } catch (JsonProcessingException e) {
            return new Submission(stem, null, null, source, null, meta.getName() + ": " + CocoJson.malformedJson(e));
        } catch (IOException e) {
            return new Submission(stem, null, null, source, null, meta.getName() + ": unreadable metadata: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Submission(stem, null, null, source, null, meta.getName() + ": metadata must be a JSON object");
        }
        String name = text(node, "name");
        String team = text(node, "team");
        String date = text(node, "date");
        String shownName = name != null ? name : stem;
        Path results = resultsPath(fs, meta, stem, text(node, "results"));
        // qualified on the metadata's file system: the night reopens it from its text, where an
        // unqualified absolute path (a list's "/x.meta.json", a "results" field's "/x.json") would
        // resolve against fs.defaultFS instead
        Submission s = new Submission(shownName, team, date, source, results == null ? null : fs.makeQualified(results).toString(), null);
        String why = null;
        if (name == null) why = "field \"name\" missing or not a string";
        else if (SubmissionNames.problem(name) != null) why = "invalid name: " + SubmissionNames.problem(name);
        else if (team == null) why = "field \"team\" missing or not a string";
        else if (SubmissionNames.textProblem("team", team) != null) why = "invalid team: " + SubmissionNames.textProblem("team", team);
        else if (date == null) why = "field \"date\" missing or not a string";
        else if (!isDate(date)) why = "field \"date\" is not a YYYY-MM-DD date";
        else if (results == null) why = "no results file " + stem + ".json or " + stem + ".json.gz next to the metadata";
        return why == null ? s : s.withError(meta.getName() + ": " + why);
    }

    private static Path resultsPath(FileSystem fs, Path meta, String stem, String explicit) {
        try {
            if (explicit != null) {
                Path p = new Path(explicit).isAbsolute() || explicit.contains(":") ? new Path(explicit) : new Path(meta.getParent(), explicit);
                return fs.exists(p) ? p : null;
            }
            for (String ext : new String[] {".json", ".json.gz"}) {
                Path p = new Path(meta.getParent(), stem + ext);
                if (fs.exists(p)) return p;
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static boolean isDate(String s) {
        if (!s.matches("\\d{4}-\\d{2}-\\d{2}")) return false;
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** A COCO JSON file's name (a results file in a submissions directory): {@code .json} or {@code .json.gz}. */
    private static boolean isJson(String file) {
        return file.endsWith(".json") || file.endsWith(".json.gz");
    }

    static String stem(String file) {
        if (file.endsWith(META_SUFFIX)) return file.substring(0, file.length() - META_SUFFIX.length());
        if (file.endsWith(".json.gz")) return file.substring(0, file.length() - ".json.gz".length());
        if (file.endsWith(".json")) return file.substring(0, file.length() - ".json".length());
        return file;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
