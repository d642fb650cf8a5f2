package org.capeval.metrics.cider;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.UTFDataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ngram.NGramSet;
import org.capeval.metrics.ngram.NGramTable;
import org.capeval.metrics.ngram.WordIndex;
import org.capeval.metrics.ngram.Words;

/**
 * CIDEr's document frequencies: for each n-gram (orders 1..4), the number of images ("documents")
 * whose references contain it, and the number of documents N (CIDEr's {@code ref_len = log N}).
 * COCO computes it from the references of the evaluated images ({@link #addImage}); it can also
 * be computed once from a large reference corpus, {@link #save saved} and {@link #load loaded}
 * ({@code --idf}) so CIDEr of a small set is meaningful.
 *
 * <p>It is a statistic that merges associatively ({@link #merge}): Spark partitions each build
 * one from their images and the job combines them. Words are interned to ids >= 1 and n-grams are
 * packed into an {@link NGramTable}.
 */
public final class DocumentFrequencies implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String MAGIC = "capeval-document-frequencies";
    private static final int FORMAT = 1;

    private final ArrayList<String> words = new ArrayList<>(); // id - 1 -> word
    private transient volatile WordIndex ids; // word id - 1, built from words when absent (after deserializing)
    private final NGramTable table;
    private long documents;
    private String source;

    /** An empty table; {@code source} names where the counts come from (for the signature). */
    public DocumentFrequencies(String source) {
        this.table = new NGramTable();
        this.source = source;
    }

    private DocumentFrequencies(String source, NGramTable table) {
        this.table = table;
        this.source = source;
    }

    /** COCO's default source label: the references of the evaluated images. */
    public static final String FROM_EVALUATED_REFERENCES = "refs";

    /** Number of documents (images) counted. */
    public long documents() {
        return documents;
    }

    /** Number of distinct n-grams. */
    public int size() {
        return table.size();
    }

    public int vocabularySize() {
        return words.size();
    }

    /** Where the counts come from: "refs" (COCO), or the file they were loaded from. */
    public String source() {
        return source;
    }

    /** CIDEr's {@code ref_len}: {@code np.log(float(N))}. */
    public double refLen() {
        return Math.log((double) documents);
    }

    /** Id of a word (>= 1), 0 if no counted n-gram contains it. */
    public int wordId(String word) {
        return index().find(word) + 1;
    }

    /**
     * {@link #wordId} of the image's word {@code local} ({@link ImageTokens#word}), found by the
     * word's characters where the image keeps them: no string is cut per image.
     */
    public int wordId(ImageTokens image, int local) {
        return image.findWord(local, index()) + 1;
    }

    /**
     * Document frequency of the n-gram of the given global word ids {@code w[from..from+order)};
     * 0 when any word is unknown (id 0) or the n-gram was never counted.
     */
    public int frequency(int[] w, int from, int order) {
        for (int i = from; i < from + order; i++) {
            if (w[i] <= 0) {
                return 0;
            }
        }
        return table.get(NGramTable.hi(w, from, order), NGramTable.lo(w, from, order));
    }

    /**
     * Counts one image as a document from its tokenized references (split like Python's
     * {@code split()}): every distinct n-gram (orders 1..4) adds 1. Works on the text, without
     * building the image's encodings (an {@link ImageTokens}'s), so counting a large set keeps
     * little in memory.
     */
    public void addReferences(String[] references) {
        addReferences(references, null);
    }

    /**
     * As {@link #addReferences(String[])}, and appends to {@code seen} (when not null) the entry
     * number in this table of each of the image's distinct n-grams, in the order of their ids in
     * the references' {@link org.capeval.metrics.ngram.ImageNGrams} (sentence, order, position,
     * first occurrence): once every image is counted, {@link ReferenceCounts} gives each image's
     * document frequencies without looking the n-grams up again.
     */
    public void addReferences(String[] references, ReferenceCounts seen) {
        int total = 0;
        int[][] sentences = new int[references.length][];
        WordIndex index = index();
        for (int s = 0; s < references.length; s++) {
            int[] ids = Words.splitWhitespace(references[s], index);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == words.size()) {
                    words.add(index.word(ids[i]));
                }
                ids[i]++;
            }
            sentences[s] = ids;
            total += ids.length * ImageTokens.MAX_ORDER;
        }
        if (scratch == null) {
            scratch = new NGramSet();
        }
        scratch.reset(total);
        if (his == null || his.length < total) {
            his = new long[Math.max(256, total * 2)];
            los = new long[his.length];
        }
        int n = 0;
        for (int[] w : sentences) {
            for (int k = 1; k <= ImageTokens.MAX_ORDER; k++) {
                for (int i = 0; i + k <= w.length; i++) {
                    long hi = NGramTable.hi(w, i, k), lo = NGramTable.lo(w, i, k);
                    if (scratch.add(hi, lo)) {
                        his[n] = hi;
                        los[n] = lo;
                        n++;
                    }
                }
            }
        }
        table.prefetch(his, los, n);
        for (int i = 0; i < n; i++) {
            int entry = table.add(his[i], los[i], 1);
            if (seen != null) {
                seen.add(entry);
            }
        }
        if (seen != null) {
            seen.endImage();
        }
        documents++;
    }

    // scratch space of addReferences (not part of the value)
    private transient NGramSet scratch;
    private transient long[] his;
    private transient long[] los;

    /**
     * The document frequencies of many n-grams at once, {@code counts[i]} for the key
     * ({@code his[i]}, {@code los[i]}) built with {@link NGramTable#hi}/{@link NGramTable#lo} from
     * {@link #wordId}s (0 for a key with an unknown word); faster than {@link #frequency} one by one.
     */
    public void frequencies(long[] his, long[] los, int n, int[] counts) {
        table.getAll(his, los, n, counts);
    }

    /**
     * The table CIDEr scores with: the same documents, words and source, without the n-grams
     * counted in one document only. CIDEr's idf is {@code log(N) - log(max(1, df))}, the same for
     * df 1 and for an absent n-gram (df 0), so scores do not change; the table is about 4x smaller
     * (val2014: 1.36M n-grams, 78% of them in one image's references), so its look-ups mostly hit
     * the CPU caches, and a Spark broadcast of it is smaller. Not for {@link #save} (it refuses):
     * its {@link #frequency} is 0 where the full table says 1.
     */
    public DocumentFrequencies forScoring() {
        if (scoringOnly) {
            return this;
        }
        int[] kept = {0};
        table.forEach((hi, lo, count) -> kept[0] += count > 1 ? 1 : 0);
        DocumentFrequencies out = new DocumentFrequencies(source, new NGramTable(kept[0]));
        out.words.addAll(words);
        out.documents = documents;
        out.scoringOnly = true;
        table.forEach((hi, lo, count) -> {
            if (count > 1) {
                out.table.add(hi, lo, count);
            }
        });
        return out;
    }

    private boolean scoringOnly;

    /** Adds other's counts into this one (other is unchanged). */
    public DocumentFrequencies merge(DocumentFrequencies other) {
        mergeEntries(other);
        return this;
    }

    /**
     * {@link #merge}, returning where other's entries went: the entry number here of other's entry
     * number e is {@code result[e]}.
     */
    public int[] mergeEntries(DocumentFrequencies other) {
        if (scoringOnly || other.scoringOnly) {
            throw new IllegalStateException("forScoring() tables are not merged: merge the full tables");
        }
        int[] remap = new int[other.words.size() + 1];
        for (int i = 0; i < other.words.size(); i++) {
            remap[i + 1] = intern(other.words.get(i));
        }
        int[] entries = new int[other.table.size()];
        // in batches, each prefetched: other's entries arrive in its slot order, which is random
        // here, so each add is a cache miss; prefetching overlaps them (the order of adds, and so
        // this table's layout, is unchanged)
        long[] his = new long[MERGE_BATCH], los = new long[MERGE_BATCH];
        int[] counts = new int[MERGE_BATCH], from = new int[MERGE_BATCH];
        int[] n = {0};
        other.table.forEachNumbered((hi, lo, count, entry) -> {
            int k = n[0]++;
            his[k] = (long) remap[(int) (hi >>> 32)] << 32 | remap[(int) hi];
            los[k] = (long) remap[(int) (lo >>> 32)] << 32 | remap[(int) lo];
            counts[k] = count;
            from[k] = entry;
            if (n[0] == MERGE_BATCH) {
                addBatch(his, los, counts, from, n[0], entries);
                n[0] = 0;
            }
        });
        addBatch(his, los, counts, from, n[0], entries);
        documents += other.documents;
        return entries;
    }

    /** Keys merged per prefetch: enough misses to overlap, few enough that their lines stay in cache. */
    private static final int MERGE_BATCH = 256;

    private void addBatch(long[] his, long[] los, int[] counts, int[] from, int n, int[] entries) {
        table.prefetch(his, los, n);
        for (int i = 0; i < n; i++) {
            entries[from[i]] = table.add(his[i], los[i], counts[i]);
        }
    }

    /** Each n-gram's document frequency by its entry number ({@link #addReferences(String[], ReferenceCounts)}). */
    public int[] countsByEntry() {
        return table.countsByEntry();
    }

    private int intern(String word) {
        WordIndex index = index();
        int id = index.intern(word);
        if (id == words.size()) {
            words.add(word);
        }
        return id + 1;
    }

    private WordIndex index() {
        WordIndex m = ids;
        if (m == null) {
            synchronized (this) {
                m = ids;
                if (m == null) {
                    m = new WordIndex(words.size());
                    for (String w : words) {
                        m.intern(w);
                    }
                    ids = m;
                }
            }
        }
        return m;
    }

    /**
     * Writes the table (gzip-compressed binary: documents, words, n-gram counts) in one canonical
     * order: words sorted, n-grams by order and then by their words. A table holds the same counts
     * whichever way its images were counted and merged (one pass, or Spark partitions merged as
     * tasks finish), so the same counts give the same file, byte for byte, on either engine.
     * {@link #load} reads any order.
     */
    public void save(OutputStream out) throws IOException {
        if (scoringOnly) {
            throw new IllegalStateException("a forScoring() table lacks the n-grams of one document: save the full table");
        }
        Integer[] byWord = new Integer[words.size()]; // old ids - 1, in the words' order
        for (int i = 0; i < byWord.length; i++) {
            byWord[i] = i;
        }
        java.util.Arrays.sort(byWord, (a, b) -> words.get(a).compareTo(words.get(b)));
        int[] newId = new int[words.size() + 1]; // old id -> id in the sorted list (0 stays 0)
        for (int r = 0; r < byWord.length; r++) {
            newId[byWord[r] + 1] = r + 1;
        }
        int n = table.size();
        long[] his = new long[n], los = new long[n];
        int[] counts = new int[n];
        int[] k = {0};
        table.forEach((hi, lo, count) -> {
            his[k[0]] = (long) newId[(int) (hi >>> 32)] << 32 | newId[(int) hi];
            los[k[0]] = (long) newId[(int) (lo >>> 32)] << 32 | newId[(int) lo];
            counts[k[0]++] = count;
        });
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // ids are below 2^31, so the packed keys compare as signed longs; a shorter n-gram has zero ids
        // where a longer one has words, so the order comes first
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Integer.compare(ngramOrder(his[a], los[a]), ngramOrder(his[b], los[b]));
            if (c == 0) {
                c = Long.compare(his[a], his[b]);
            }
            return c != 0 ? c : Long.compare(los[a], los[b]);
        });
        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
            {
                // val2014's 1.36M n-grams: 1.7 s and 7.4 MB, where the default level took 2.9 s for 6.1 MB
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        };
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(gzip, 1 << 16));
        d.writeUTF(MAGIC);
        d.writeInt(FORMAT);
        d.writeLong(documents);
        writeString(d, source);
        d.writeInt(byWord.length);
        for (int i : byWord) {
            writeString(d, words.get(i));
        }
        d.writeInt(n);
        for (int i : order) {
            d.writeLong(his[i]);
            d.writeLong(los[i]);
            d.writeInt(counts[i]);
        }
        d.flush();
        d.close();
    }

    private static int ngramOrder(long hi, long lo) {
        return (hi & 0xFFFFFFFFL) == 0 ? 1 : lo == 0 ? 2 : (lo & 0xFFFFFFFFL) == 0 ? 3 : 4;
    }

    /**
     * A file that is not a table written by {@link #save} (not gzip, another file's content, a
     * truncated or corrupt table): bad input, as opposed to an I/O failure. The message names the
     * file; {@link #problem} is the reason alone.
     */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String problem;

        FormatException(String name, String problem, Throwable cause) {
            super(name + ": " + problem, cause);
            this.problem = problem;
        }

        /** What is wrong, without the file name. */
        public String problem() {
            return problem;
        }
    }

    /**
     * Reads a table written by {@link #save}; {@code name} (e.g. the file name) becomes the source
     * shown in signatures.
     *
     * @throws FormatException when the content is not such a table (every size read is checked
     *                         before anything is allocated for it)
     */
    public static DocumentFrequencies load(InputStream in, String name) throws IOException {
        String notOurs = "not a document-frequency table written by --save-idf";
        DataInputStream d;
        try {
            d = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in), 1 << 16));
        } catch (ZipException | EOFException e) {
            in.close();
            throw new FormatException(name, notOurs + " (not gzip data: " + e.getMessage() + ")", e);
        }
        try (d) {
            String magic;
            try {
                magic = d.readUTF();
            } catch (UTFDataFormatException | EOFException e) {
                throw new FormatException(name, notOurs + " (" + e.getMessage() + ")", e);
            }
            if (!MAGIC.equals(magic)) {
                throw new FormatException(name, notOurs, null);
            }
            int format = d.readInt();
            if (format != FORMAT) {
                throw new FormatException(name, "document-frequency table format " + format + ", this version reads format " + FORMAT, null);
            }
            long documents = d.readLong();
            if (documents < 0) {
                throw new FormatException(name, "corrupt table: " + documents + " documents", null);
            }
            String origin = readString(d, name, "the origin");
            int nWords = d.readInt();
            if (nWords < 0) {
                throw new FormatException(name, "corrupt table: " + nWords + " words", null);
            }
            int nEntries;
            DocumentFrequencies df;
            List<String> ws = new ArrayList<>(Math.min(nWords, 1 << 16));
            WordIndex seen = new WordIndex(Math.min(nWords, 1 << 16));
            for (int i = 0; i < nWords; i++) {
                String w = readString(d, name, "word " + i);
                int first = seen.intern(w);
                if (first != i) { // --save-idf writes each word once; ids are positions in this list
                    throw new FormatException(name, "corrupt table: word " + i + " repeats word " + first, null);
                }
                ws.add(w);
            }
            nEntries = d.readInt();
            if (nEntries < 0 || nEntries > MAX_LOADED_ENTRIES) {
                throw new FormatException(name, "corrupt table: " + nEntries + " n-grams", null);
            }
            df = new DocumentFrequencies("file:" + name + "(" + origin + ",docs=" + documents + ")",
                    new NGramTable(Math.min(nEntries, 1 << 20))); // grows as entries arrive: a corrupt count allocates nothing
            df.words.addAll(ws);
            df.ids = seen;
            for (int i = 0; i < nEntries; i++) {
                long hi = d.readLong(), lo = d.readLong();
                int count = d.readInt();
                long[] ids = {hi >>> 32, hi & 0xFFFFFFFFL, lo >>> 32, lo & 0xFFFFFFFFL};
                boolean ok = ids[0] >= 1 && count > 0;
                for (long id : ids) {
                    ok &= id <= nWords;
                }
                if (!ok) {
                    throw new FormatException(name, "corrupt table: n-gram entry " + i + " (word ids " + java.util.Arrays.toString(ids)
                            + " of " + nWords + " words, count " + count + ")", null);
                }
                df.table.add(hi, lo, count);
            }
            df.documents = documents;
            return df;
        } catch (EOFException e) {
            throw new FormatException(name, "truncated document-frequency table", e);
        } catch (ZipException e) {
            throw new FormatException(name, "corrupt gzip data in the document-frequency table (" + e.getMessage() + ")", e);
        }
    }

    /** More n-grams than any table holds (val2014's references have 1.4M): a corrupt count. */
    private static final int MAX_LOADED_ENTRIES = 1 << 28;

    /** A length-prefixed string; a length beyond what is left of a sane table is corruption, not an allocation. */
    private static String readString(DataInputStream d, String name, String what) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new FormatException(name, "corrupt table: " + what + " has length " + n, null);
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeString(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }


    /** The n-gram counts keyed by text ("w1 w2 ..."); for tests and inspection, not for hot paths. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> out = new HashMap<>();
        table.forEach((hi, lo, count) -> {
            StringBuilder sb = new StringBuilder();
            for (long id : new long[] {hi >>> 32, hi & 0xFFFFFFFFL, lo >>> 32, lo & 0xFFFFFFFFL}) {
                if (id != 0) {
                    sb.append(sb.length() == 0 ? "" : " ").append(words.get((int) id - 1));
                }
            }
            out.put(sb.toString(), count);
        });
        return out;
    }
}
