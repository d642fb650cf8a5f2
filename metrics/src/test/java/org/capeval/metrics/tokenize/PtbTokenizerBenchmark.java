package org.capeval.metrics.tokenize;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;

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

        run("ours tokenize", rounds, captions, cs -> {
            long chars = 0;
            for (String c : cs) {
                chars += PtbTokenizer.tokenize(c).length();
            }
            return chars;
        });
        run("ours tokenizeAll", rounds, captions,
                cs -> PtbTokenizer.tokenizeAll(cs).stream().mapToLong(String::length).sum());
        run("CoreNLP per caption", Math.min(rounds, 4), captions, cs -> {
            long chars = 0;
            for (String c : cs) {
                chars += CoreNlpReference.tokenize(c).length();
            }
            return chars;
        });
        run("CoreNLP one file", Math.min(rounds, 4), captions,
                cs -> CoreNlpReference.pipeline(cs).stream().mapToLong(String::length).sum());
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Wall-clock and this thread's CPU time (the machine is shared: CPU time is the fairer figure). */
    private static void run(String what, int rounds, List<String> captions, ToLongFunction<List<String>> task) {
        for (int r = 0; r < rounds; r++) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long chars = task.applyAsLong(captions);
            long wall = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("%-20s round %d: %8.0f captions/s wall, %8.0f captions/s per CPU-second (%d output chars)%n",
                    what, r, captions.size() / (wall / 1e9), captions.size() / (cpu / 1e9), chars);
        }
    }
}
