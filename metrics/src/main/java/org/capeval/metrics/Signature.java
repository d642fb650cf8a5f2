package org.capeval.metrics;

/**
 * Everything that changes the numbers, as one string (after sacreBLEU's signatures), e.g.
 * {@code capeval:0.1.0|tok:ptb-corenlp3.4.1-coco|bleu:n4,closest|rouge:L,beta1.2,split-space|cider:D,n4,sigma6|idf:refs}.
 */
public final class Signature {
    private Signature() {}

    /** The library version (from the jar manifest when packaged, else the development version). */
    public static String version() {
        String v = Signature.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /**
     * @param idfSource the document frequencies' source ("refs" = COCO's default) or null when no
     *                  metric uses them
     */
    public static String of(CaptionTokenizer tokenizer, MetricSuite suite, String idfSource) {
        String metrics = suite.signature(); // empty when the job runs only SPICE (outside the suite)
        return "capeval:" + version() + "|" + tokenizer.signature() + (metrics.isEmpty() ? "" : "|" + metrics)
                + (idfSource == null ? "" : "|idf:" + idfSource);
    }
}
