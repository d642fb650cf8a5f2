package org.capeval.metrics.tokenize;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The reference: CoreNLP 3.4.1's PTBTokenizer called in-process the way its command-line driver
 * runs for {@code -preserveLines -lowerCase} (options ",tokenizeNLs"; tokens lower-cased with
 * Locale.ENGLISH, joined by spaces, a newline for each newline token), followed by
 * ptbtokenizer.py's post-processing. Test scope only (CoreNLP is GPL).
 */
final class CoreNlpReference {
    private CoreNlpReference() {}

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger PTB_LEXER_LOG = Logger.getLogger("edu.stanford.nlp.process.PTBLexer");

    static {
        // one "Untokenizable" warning per tokenizer instance would flood the test output
        PTB_LEXER_LOG.setLevel(Level.OFF);
    }

    static final List<String> PUNCTUATIONS = List.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    /** What {@code PTBTokenizer -preserveLines -lowerCase} writes to stdout for {@code text}. */
    static String commandLineOutput(String text) {
        StringBuilder w = new StringBuilder(text.length() + 16);
        boolean beginLine = true;
        PTBTokenizer<CoreLabel> t = new PTBTokenizer<>(new StringReader(text), new CoreLabelTokenFactory(), ",tokenizeNLs");
        while (t.hasNext()) {
            CoreLabel token = t.next();
            String orig = token.get(CoreAnnotations.TextAnnotation.class);
            if ("*NL*".equals(orig)) {
                beginLine = true;
                w.append('\n');
            } else {
                if (!beginLine) {
                    w.append(' ');
                } else {
                    beginLine = false;
                }
                w.append(orig.toLowerCase(Locale.ENGLISH));
            }
        }
        return w.toString();
    }

    /** ptbtokenizer.py on one output line: rstrip(), split(' '), drop punctuation, ' '.join. */
    static String postprocess(String line) {
        int end = line.length();
        while (end > 0 && isPythonSpace(line.charAt(end - 1))) {
            end--;
        }
        List<String> kept = new ArrayList<>();
        for (String tok : line.substring(0, end).split(" ", -1)) {
            if (!PUNCTUATIONS.contains(tok)) {
                kept.add(tok);
            }
        }
        return String.join(" ", kept);
    }

    /**
     * One caption on its own, with our documented treatment of line terminators: every output line
     * post-processed, non-empty lines joined by a space.
     */
    static String tokenize(String caption) {
        String out = commandLineOutput(caption.replace('\n', ' '));
        List<String> parts = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            String p = postprocess(line);
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return String.join(" ", parts);
    }

    /**
     * The whole pycocoevalcap step for a list of captions: LF -> space, join with '\n', tokenize,
     * split the output on '\n', post-process, pair line k with caption k (zip truncates).
     */
    static List<String> pipeline(List<String> captions) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < captions.size(); i++) {
            if (i > 0) {
                in.append('\n');
            }
            in.append(captions.get(i).replace('\n', ' '));
        }
        String[] lines = commandLineOutput(in.toString()).split("\n", -1);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < Math.min(lines.length, captions.size()); i++) {
            result.add(postprocess(lines[i]));
        }
        return result;
    }

    /** Python 3 str.isspace() for BMP characters. */
    private static boolean isPythonSpace(char c) {
        switch (c) {
            case '\t': case '\n': case '\u000B': case '\u000C': case '\r': case '\u001C': case '\u001D':
            case '\u001E': case '\u001F': case ' ': case '\u0085': case '\u00A0': case '\u1680':
            case '\u2028': case '\u2029': case '\u202F': case '\u205F': case '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }
}
