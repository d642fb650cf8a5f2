package org.capeval.metrics.tokenize;

/** Ad-hoc: prints ours vs CoreNLP for each argument. */
public final class Probe {
    public static void main(String[] args) {
        for (String a : args) {
            String s = Escapes.unescape(a);
            String ours = PtbTokenizer.tokenize(s);
            String ref = CoreNlpReference.tokenize(s);
            System.out.println((ours.equals(ref) ? "OK   " : "DIFF ") + "[" + a + "] ours=[" + Escapes.escape(ours) + "] ref=[" + Escapes.escape(ref) + "]");
        }
    }
}
