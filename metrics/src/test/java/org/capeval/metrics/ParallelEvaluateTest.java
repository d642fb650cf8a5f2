package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import org.capeval.metrics.core.EvalImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CocoEvaluator#evaluate(List, int)} on several threads gives the one-thread numbers bit for
 * bit, including the tokenizer's look-ahead across the ranges' boundaries.
 */
class ParallelEvaluateTest {
    private static final String[] WORDS = {"a", "man", "dog", "riding", "on", "the", "beach", "two", "cats", "sit",
        "near", "red", "bus", "street", "with", "of", "in", "water", "wave", "surfboard", "tree", "kitchen"};

    /** n images, seeded; image b-1 of each boundary b ends with "reads K." and image b starts with "A ...". */
    static List<EvalImage> inputs(int n, int[] boundaries, long seed) {
        Random rnd = new Random(seed);
        List<EvalImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> refs = new ArrayList<>();
            int m = 1 + rnd.nextInt(5);
            for (int r = 0; r < m; r++) {
                refs.add(sentence(rnd));
            }
            String cand = sentence(rnd);
            for (int b : boundaries) {
                if (i == b - 1) {
                    refs.set(refs.size() - 1, "A sign that reads K.");
                    cand = "a shop sign reads K.";
                }
                if (i == b) {
                    refs.set(0, "A man " + refs.get(0));
                    cand = "A dog " + cand;
                }
            }
            out.add(new EvalImage(i, 1000 + i * 7L, cand, refs.toArray(new String[0])));
        }
        return out;
    }

    private static String sentence(Random rnd) {
        StringBuilder s = new StringBuilder();
        int len = 3 + rnd.nextInt(10);
        for (int w = 0; w < len; w++) {
            s.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return rnd.nextInt(4) == 0 ? s + "." : s.toString();
    }

    @Test
    void threadsGiveTheOneThreadNumbersBitForBit() {
        int n = 1200;
        List<EvalImage> in = inputs(n, new int[] {300, 400, 600, 800, 900}, 7);
        CocoEvaluator ev = new CocoEvaluator(Metrics.parse("bleu,rouge,cider,cider-plain"), CaptionTokenizer.ptb(), null);
        CocoEvaluator.Evaluation one = ev.evaluate(in, 1);
        for (int threads : new int[] {2, 3, 4}) {
            CocoEvaluator.Evaluation many = ev.evaluate(in, threads);
            assertEquals(one.evalJson(), many.evalJson(), threads + " threads");
            assertArrayEquals(one.summedStats(), many.summedStats());
            for (int i = 0; i < n; i++) {
                assertEquals(one.imageId(i), many.imageId(i));
                assertArrayEquals(one.image(i).references(), many.image(i).references(), "tokens of image " + i);
                assertEquals(one.image(i).candidate(), many.image(i).candidate());
                assertArrayEquals(one.row(i), many.row(i), "image " + i + ", " + threads + " threads");
            }
        }
    }

    @Test
    void timingsNameEveryMetricOnce() {
        List<EvalImage> in = inputs(1200, new int[] {}, 11);
        CocoEvaluator.Evaluation ev = new CocoEvaluator(Metrics.parse("bleu,rouge,cider"), CaptionTokenizer.ptb(), null)
                .evaluate(in, 2);
        CocoEvaluator.Timings t = ev.timings();
        assertEquals(List.of("bleu", "rouge", "cider"), new ArrayList<>(t.metricThreads().keySet()));
        t.metricThreads().forEach((name, nanos) -> org.junit.jupiter.api.Assertions.assertTrue(nanos > 0, name));
        org.junit.jupiter.api.Assertions.assertTrue(t.documentFrequencyThreads() > 0, "CIDEr-D counts document frequencies");
        org.junit.jupiter.api.Assertions.assertTrue(t.tokenizeWall() > 0 && t.scoringWall() > 0);
        // no metric needing document frequencies: none are counted
        CocoEvaluator.Evaluation saved = new CocoEvaluator(Metrics.parse("bleu"), CaptionTokenizer.ptb(), null).evaluate(in, 2);
        assertEquals(0, saved.timings().documentFrequencyThreads(), "BLEU alone counts no document frequencies");
    }

    @Test
    void rangesSeeTheNextCaptionsAsLookAhead() {
        // With 4 threads over 1200 images the ranges start at 300, 600 and 900: the captions before
        // them end in "K." followed by a line starting "A": tokenized as one run, "k." loses its period.
        List<EvalImage> in = inputs(1200, new int[] {300, 600, 900}, 3);
        CocoEvaluator.Evaluation ev = new CocoEvaluator(CaptionTokenizer.ptb()).evaluate(in, 4);
        for (int b : new int[] {300, 600, 900}) {
            String[] refs = ev.image(b - 1).references();
            assertEquals("a sign that reads k", refs[refs.length - 1]);
            assertEquals("a shop sign reads k", ev.image(b - 1).candidate());
        }
        // the last image has no following line: the period stays part of the token, then is removed
        assertNotEquals(0, ev.imageCount());
    }

    @Test
    void suppliedDocumentFrequenciesAreUsedOnEveryThread() {
        List<EvalImage> in = inputs(900, new int[0], 11);
        CocoEvaluator coco = new CocoEvaluator(CaptionTokenizer.ptb());
        CocoEvaluator.Evaluation own = coco.evaluate(in, 1);
        CocoEvaluator fixedDf = new CocoEvaluator(Metrics.parse(Metrics.DEFAULT), CaptionTokenizer.ptb(), own.documentFrequencies());
        CocoEvaluator.Evaluation a = fixedDf.evaluate(in, 1);
        CocoEvaluator.Evaluation b = fixedDf.evaluate(in, 3);
        assertEquals(a.evalJson(), b.evalJson());
        assertEquals(own.corpus("CIDEr"), b.corpus("CIDEr"));
    }

    @Test
    void countedReferenceFrequenciesGiveTheLookedUpScores() {
        // counted here, CIDEr-D gets each image's reference counts from the counting pass; with a
        // supplied table it looks every n-gram up: per-image scores must agree bit for bit
        List<EvalImage> in = inputs(2000, new int[0], 12);
        CocoEvaluator.Evaluation counted = new CocoEvaluator(CaptionTokenizer.ptb()).evaluate(in, 3);
        CocoEvaluator.Evaluation lookedUp = new CocoEvaluator(Metrics.parse(Metrics.DEFAULT), CaptionTokenizer.ptb(),
                counted.documentFrequencies()).evaluate(in, 2);
        int k = counted.keys().indexOf("CIDEr");
        int nonzero = 0;
        for (int i = 0; i < counted.imageCount(); i++) {
            assertEquals(lookedUp.row(i)[k], counted.row(i)[k], "CIDEr of image " + i);
            nonzero += counted.row(i)[k] != 0 ? 1 : 0;
        }
        assertNotEquals(0, nonzero);
    }

    /**
     * A class whose initialization ran out of memory on one thread is "Could not initialize" on the
     * others: the failure reported is the OutOfMemoryError, which the score job turns into its
     * one-line advice, not the NoClassDefFoundError, which escaped as a stack trace.
     */
    @Test
    void anOutOfMemoryErrorOfAFinishedTaskExplainsTheOthersFailures() {
        Throwable noClass = new NoClassDefFoundError("Could not initialize class org.capeval.metrics.tokenize.PtbRules");
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        java.util.concurrent.CompletableFuture<Void> ok = java.util.concurrent.CompletableFuture.completedFuture(null);
        java.util.concurrent.CompletableFuture<Void> running = new java.util.concurrent.CompletableFuture<>();
        assertSame(oom, CocoEvaluator.explained(noClass, List.of(ok, running, java.util.concurrent.CompletableFuture.failedFuture(oom))));
        // other failures, or none finished: the failure as it was
        assertSame(noClass, CocoEvaluator.explained(noClass, List.of(ok, running,
                java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("other")))));
        IllegalArgumentException bad = new IllegalArgumentException("bad input");
        assertSame(bad, CocoEvaluator.explained(bad, List.of(running)));
        OutOfMemoryError own = new OutOfMemoryError("own");
        assertSame(own, CocoEvaluator.explained(own, List.of(java.util.concurrent.CompletableFuture.failedFuture(oom))));
    }
    /**
     * When this thread's range runs out of memory, the error is rethrown only once the other
     * ranges' threads have ended: they hold the evaluation's memory, which the job's one-line
     * report needs a little of (before, the report itself could run out and print a stack trace).
     * They stop at their next chunk rather than finish work that is lost anyway.
     */
    @Test
    void anErrorInThisThreadsRangeIsRethrownOnceTheOtherRangesHaveStopped() {
        java.util.concurrent.atomic.AtomicBoolean otherEnded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger otherCaptions = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch otherStarted = new java.util.concurrent.CountDownLatch(1);
        CaptionTokenizer tokenizer = new CaptionTokenizer() {
            private static final long serialVersionUID = 1L;

            @Override
            public String tokenize(String caption) {
                if (!Thread.currentThread().getName().equals("capeval-evaluate")) { // this thread's range, once the other is under way
                    awaitUninterruptibly(otherStarted);
                    throw new OutOfMemoryError("Java heap space");
                }
                if (otherCaptions.getAndIncrement() == 0) {
                    otherStarted.countDown();
                    long until = System.nanoTime() + 300_000_000L; // 0.3 s of work, whatever interrupts it
                    while (System.nanoTime() < until) {
                        java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                    }
                    otherEnded.set(true);
                }
                return caption;
            }

            @Override
            public String signature() {
                return "tok:test";
            }
        };
        CocoEvaluator ev = new CocoEvaluator(Metrics.parse(Metrics.DEFAULT), tokenizer, null);
        List<EvalImage> in = inputs(12_288, new int[0], 3); // 2 ranges of 3 tokenizing chunks each
        int otherRangeCaptions = in.subList(in.size() / 2, in.size()).stream().mapToInt(image -> 1 + image.references().length).sum();
        OutOfMemoryError thrown = org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class, () -> ev.evaluate(in, 2));
        assertEquals("Java heap space", thrown.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(otherEnded.get(), "the other range was still running when the error came back");
        int tokenized = otherCaptions.get();
        org.junit.jupiter.api.Assertions.assertTrue(tokenized < otherRangeCaptions / 2,
                () -> "the other range went on: " + tokenized + " of its " + otherRangeCaptions + " captions tokenized");
    }

    private static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
