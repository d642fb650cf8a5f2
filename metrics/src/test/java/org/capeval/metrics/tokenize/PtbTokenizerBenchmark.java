package org.capeval.metrics.tokenize;

import java.nio.file.Path;
import java.util.List;

/**
 * Micro-benchmark: captions per second on the 202,654 val2014 captions, one thread, for
 * PtbTokenizer.tokenize, PtbTokenizer.tokenizeAll and CoreNLP 3.4.1 (in-process, one tokenizer
 * per caption, and the whole list as one text as the pipeline's command line does).
 *
 * <pre>
 * mvn -B -o -q -pl metrics test-compile
 * mvn -B -o -q -pl metrics dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/cp.txt):metrics/target/classes:metrics/target/test-classes" \
 *     org.capeval.metrics.tokenize.PtbTokenizerBenchmark ../shared [rounds]
 * </pre>
 */
public final class PtbTokenizerBenchmark {
    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> captions = SharedData.val2014Captions(shared);
        System.out.printf("%d captions, %d chars%n", captions.size(), captions.stream().mapToInt(String::length).sum());

        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long chars = 0;
            for (String c : captions) {
                chars += PtbTokenizer.tokenize(c).length();
            }
            report("ours tokenize", r, captions.size(), System.nanoTime() - t0, chars);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long chars = PtbTokenizer.tokenizeAll(captions).stream().mapToLong(String::length).sum();
            report("ours tokenizeAll", r, captions.size(), System.nanoTime() - t0, chars);
        }
        for (int r = 0; r < Math.min(rounds, 3); r++) {
            long t0 = System.nanoTime();
            long chars = 0;
            for (String c : captions) {
                chars += CoreNlpReference.tokenize(c).length();
            }
            report("CoreNLP per caption", r, captions.size(), System.nanoTime() - t0, chars);
        }
        for (int r = 0; r < Math.min(rounds, 3); r++) {
            long t0 = System.nanoTime();
            long chars = CoreNlpReference.pipeline(captions).stream().mapToLong(String::length).sum();
            report("CoreNLP one file", r, captions.size(), System.nanoTime() - t0, chars);
        }
    }

    private static void report(String what, int round, int n, long nanos, long chars) {
        System.out.printf("%-20s round %d: %8.0f captions/s (%.3f s, %d output chars)%n",
                what, round, n / (nanos / 1e9), nanos / 1e9, chars);
    }
}
