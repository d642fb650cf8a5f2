package org.capeval.metrics;

import java.io.Serializable;
import org.capeval.metrics.tokenize.PtbTokenizer;

/** Turns a raw caption into the tokenized text the metrics read (words joined by single spaces). */
public interface CaptionTokenizer extends Serializable {
    String tokenize(String caption);

    /**
     * Tokenizes the captions of one run of the original tokenizer, in the order it writes them to
     * its input file (references of the evaluated images in order; candidates in a second run). The
     * PTB tokenizer looks past the end of a caption into the next lines, as PTBLexer does reading
     * that file; captions are otherwise independent (see {@link PtbTokenizer#tokenizeAll}).
     */
    default java.util.List<String> tokenizeAll(java.util.List<String> captions) {
        java.util.List<String> out = new java.util.ArrayList<>(captions.size());
        for (String c : captions) {
            out.add(tokenize(c));
        }
        return out;
    }

    /** Short name for the signature. */
    String signature();

    /** COCO's tokenizer step (PTB, lower-case, 17 punctuation tokens removed). */
    static CaptionTokenizer ptb() {
        return new CaptionTokenizer() {
            private static final long serialVersionUID = 1L;

            @Override
            public String tokenize(String caption) {
                return PtbTokenizer.tokenize(caption);
            }

            @Override
            public java.util.List<String> tokenizeAll(java.util.List<String> captions) {
                return PtbTokenizer.tokenizeAll(captions);
            }

            @Override
            public String signature() {
                return "tok:ptb-corenlp3.4.1-coco";
            }
        };
    }

    /** For captions that are already tokenized ({@code --pretokenized}, the tok/ cases): unchanged. */
    static CaptionTokenizer pretokenized() {
        return new CaptionTokenizer() {
            private static final long serialVersionUID = 1L;

            @Override
            public String tokenize(String caption) {
                return caption;
            }

            @Override
            public String signature() {
                return "tok:none";
            }
        };
    }
}
