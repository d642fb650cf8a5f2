import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.ngram.NGramSet;
import org.capeval.metrics.ngram.NGramTable;
import org.capeval.metrics.ngram.WordIndex;
import org.capeval.metrics.ngram.Words;

/**
 * The least work CIDEr-D's document frequencies can cost (bench/ngram-floor.sh, not part of the
 * application): every image's distinct reference n-grams (orders 1..4) counted once into a table
 * over all images, as COCO's CIDEr needs before it can score any image. Everything else is done
 * before the clock starts: the file is read, captions are split (already tokenized: the tok
 * variant of a case), words are numbered and each image's distinct keys are listed. Timed: two
 * threads, each counting half of the images into its own {@link NGramTable} (as the local engine's
 * threads do, first probes prefetched per image), then one table added into the other. Prints
 * each round's wall time; the first round runs cold code, as a score run does.
 */
public final class NGramFloor {
    private NGramFloor() {}

    public static void main(String[] args) throws Exception {
        CocoReferences refs = CocoReferences.read(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        WordIndex index = new WordIndex();
        List<long[]> his = new ArrayList<>(), los = new ArrayList<>();
        NGramSet seen = new NGramSet();
        long keys = 0;
        for (long image : refs.imageIds()) {
            List<int[]> sentences = new ArrayList<>();
            int total = 0;
            for (String caption : refs.captions(image)) {
                int[] w = Words.splitWhitespace(caption, index); // CIDEr's split (Python's str.split)
                for (int i = 0; i < w.length; i++) {
                    w[i]++; // ids >= 1, as NGramTable's keys need
                }
                sentences.add(w);
                total += 4 * w.length;
            }
            seen.reset(total);
            long[] h = new long[total], l = new long[total];
            int n = 0;
            for (int[] w : sentences) {
                for (int k = 1; k <= 4; k++) {
                    for (int i = 0; i + k <= w.length; i++) {
                        long a = NGramTable.hi(w, i, k), b = NGramTable.lo(w, i, k);
                        if (seen.add(a, b)) {
                            h[n] = a;
                            l[n++] = b;
                        }
                    }
                }
            }
            his.add(Arrays.copyOf(h, n));
            los.add(Arrays.copyOf(l, n));
            keys += n;
        }
        int images = his.size();
        System.out.printf("%d images, %d words, %d image-distinct n-grams%n", images, index.size(), keys);
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            NGramTable[] tables = new NGramTable[2];
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int from = t * images / 2, to = (t + 1) * images / 2, me = t;
                threads[t] = new Thread(() -> {
                    NGramTable table = new NGramTable();
                    for (int i = from; i < to; i++) {
                        long[] h = his.get(i), l = los.get(i);
                        table.prefetch(h, l, h.length);
                        for (int k = 0; k < h.length; k++) {
                            table.add(h[k], l[k], 1);
                        }
                    }
                    tables[me] = table;
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long t1 = System.nanoTime();
            NGramTable all = tables[0];
            tables[1].forEach((h, l, c) -> all.add(h, l, c));
            long t2 = System.nanoTime();
            System.out.printf("round %d: %.3f s (counting %.3f s, merging %.3f s), %d distinct n-grams%n", r,
                    (t2 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, all.size());
        }
    }
}
