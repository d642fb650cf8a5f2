package org.capeval.metrics;

import java.io.Serializable;
import org.capeval.metrics.tokenize.PtbTokenizer;

/** Turns a raw caption into the tokenized text the metrics read (words joined by single spaces). */
public interface CaptionTokenizer extends Serializable {
    String tokenize(String caption);

    /** Short name for the signature. */
    String signature();

    /** COCO's tokenizer step (PTB, lower-case, 17 punctuation tokens removed), caption by caption. */
    static CaptionTokenizer ptb() {
        return new CaptionTokenizer() {
            private static final long serialVersionUID = 1L;

            @Override
            public String tokenize(String caption) {
                return PtbTokenizer.tokenize(caption);
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
