package org.capeval.metrics.tokenize;

/**
 * PTB tokenization as the COCO caption pipeline runs it (spec section 2). Placeholder until the
 * tokenizer lands: the contract is fixed here so other code can be written against it.
 */
public final class PtbTokenizer {
    private PtbTokenizer() {}

    /**
     * Tokenizes one raw caption exactly as COCO does (CoreNLP 3.4.1 PTBTokenizer -preserveLines
     * -lowerCase, then removal of the 17 punctuation tokens) and returns the tokens joined by single
     * spaces. Thread-safe.
     */
    public static String tokenize(String caption) {
        throw new UnsupportedOperationException("PTB tokenizer not implemented yet");
    }
}
