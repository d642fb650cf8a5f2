package org.capeval.metrics.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential tests against CoreNLP 3.4.1 (in-process, test scope): hand-picked adversarial
 * captions, every BMP character in a few contexts, and seeded random strings over an alphabet of
 * characters the PTB rules care about. CoreNLP computes every expected value.
 */
class PtbTokenizerDifferentialTest {

    static final String[] ADVERSARIAL = {
        "A dog on a couch.", "I don't know, it's 3:30pm.", "can't won't shan't ain't isn't DON'T Can't",
        "cannot Cannot CANNOT gonna gotta lemme gimme wanna 'tis 'twas 'Tis", "rock'n'roll 90's '90s the '60s",
        "$5 US$5 C$3 50% #1 £5 €3 ¢ ¥100 \u20a0 \u00a4", "e.g. i.e. U.S. a.m. p.m. etc. vs. Mr. Mrs. Dr. St.",
        "10,000 3.5 1/2 12 1/2 3\u20444 -5 +7 .5 1,000.50 1:30 2014-01-02 1/2/2014", "e-mail well-known x-ray co-op",
        "http://x.com/a?b=c&d=e. https://www.example.org/path/ www.google.com example.com/x foo.net bar.edu.",
        "#tag @user me@example.com <me@example.com> &lt;a@b.c&gt;", "o'clock O'Brien d'Artagnan l'amour y'all Y'know",
        "<b> </b> <br/> <a href=\"x\"> <!DOCTYPE html> <?xml x?>", "etc. It was", "etc. it was", "Inc. The firm",
        "\"Hello\" he said", "'quoted' words", "\u201ccurly\u201d \u2018single\u2019 \u00abguillemets\u00bb \u201elow\u201c",
        "``latex'' quotes", "(parens) [brackets] {braces} <angles>", "-LRB- -RRB- -LCB- -rcb-",
        "wow!! what?! really?? !?! ...", "dots.... . . . \u2026 \u0085", "dash -- --- ---- - \u2013 \u2014 \u2015",
        "&amp; &AMP; & &lt; &gt; &quot;x&quot; &apos;s &nbsp; &mdash; &ndash; &#123; &eacute;t&eacute;",
        "AT&T S&P S&P-500 R&D Q&A", "emoji \ud83d\ude00 \ud83d\udc36 dog \u2764\ufe0f", "nbsp\u00a0zwsp\u200bsoft\u00adhyphen",
        "\u00ad", "a\u00adb\u00ad", "ideographic\u3000space bom\ufeffx nul\u0000x", "U+0085 \u0085 next",
        "a\rb", "a\u2028b", "a\u2029b", "a\u000bb", "a\u000cb", "a\r\nb", "trailing\r", "\rleading",
        "plan B. The end", "plan B. the end", "He is from the U.S. The end", "I. The", "Mr. Smith's dog",
        "the men's room", "dogs' bowls", "ΣΑΣ İstanbul ǅemal ß STRASSE", "naïve café résumé São Paulo Zürich",
        "日本語のテキスト 中文 한국어", "مرحبا עברית हिन्दी", "call 555-1234 now (555) 123-4567 +1 555 123 4567",
        "file.txt, ok readme.md photo.JPG.", "c++ C++ c# f# .net", ":) :-( ;) :D :P =) ^_^ (^_^) o_O",
        "a/b and/or 1/2-inch km/h", "x*y ** \\* * ***", "3-year-old 1st 2nd 3rd 21st", "Ph.D. U.K. U.S.A.",
        "no. 5 fig. 3 ca. 1990 pp. 12", "Pty. Ltd. Co. Ltd", "Jan. 5 Feb. March. Sept.", "Calif. Mass. Wash.",
        "", " ", "   ", ".", ",", "!", "?", "'", "\"", "--", "...", "a", "A", "I", "i.", "I.",
        "   leading and trailing spaces   ", "tabs\tbetween\twords", "multiple    spaces",
        "A man riding a wave on top of a surfboard.", "A GROUP OF PEOPLE STANDING AROUND A TABLE",
        "a very long token " + "x".repeat(5000), "long number " + "9".repeat(3000),
        "long url http://example.com/" + "a".repeat(2000), "hyphens " + "-".repeat(100),
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "a" + "'".repeat(50) + "b",
        "the dog's, cat's; bird's: fish's.", "\"It's\", she said.", "'em 'cause 'til 'till",
        "Dunkin' somethin' ol' cont'd nor'easter c'mon e'er s'mores ev'ry li'l nat'l",
        "d'oh l'oreal O'o n'est ain'tcha", "C.D.s pro- anti- Cap'n c'est", "'90 '05 '99s",
        "http://a.b/c\u001f", "me@x.org\u001f", "trailing url http://x.com/\u2028", "x\u0080y\u0091z\u0092w\u0093v\u0094",
        "\u0096 \u0097 \u007f \u001c \u00a6 \u00a8 \u00af \u00b0 \u00d7 \u00f7", "\u2070\u00b9\u00b2 H\u2082O x\u00b2",
        "\u00bc\u00bd\u00be\u2153\u2154\u2155", "\u00bf\u00a1Hola! \u037e \u0589 \u061f \u06d4 \u3002",
        "kelvin \u212a sharp s \u017f dotless \u0131", "one ½ cup", "12 1/2", "1-1/2", "3\\/4",
        "y'know", "Y'all", "it's.", "It's...", "we're, you've; they'll: I'd.", "he''s", "Dont' do",
        // %caseless literals match the whole case class: i ~ \u0130 \u0131, k ~ KELVIN SIGN, s ~ LONG S
        "do't\u0130St", "x 't\u0131s y", "\u212Ay. The", "Mi\u017f\u017f. x", "http\u017f://x.com/a", "\u0130nc. The",
        "g\u0131mme", "\u212a", " \u00a0ltd.com", "x \u3000www.com", "\u00a0a.com",
    };

    @Test
    void adversarialCaptionsMatchCoreNlp() {
        List<String> bad = new ArrayList<>();
        for (String s : ADVERSARIAL) {
            Mismatches.check(s, bad);
        }
        Mismatches.assertNone(bad, ADVERSARIAL.length);
    }

    /** Every BMP character alone and between letters, digits and a space (262,144 strings). */
    @Test
    void everyBmpCharacterInContextMatchesCoreNlp() {
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (int c = 0; c < 0x10000; c++) {
            String ch = String.valueOf((char) c);
            for (String s : new String[] {ch, "ab" + ch + "cd", "12" + ch + "34", "x " + ch + "s"}) {
                Mismatches.check(s, bad);
                n++;
            }
        }
        Mismatches.assertNone(bad, n);
    }

    /** Characters the rules treat specially; random strings of them (seeded). */
    static final String ALPHABET = "aAbBcCdDeEfFgGhHiIlLmMnNoOsStTuUwWxXyYzZ0123456789"
            + " .,;:!?'\"`-_/\\()[]{}<>@#$%&*+=~^|"
            + "\u00a0\u00ad\u2019\u2018\u201c\u201d\u2026\u2013\u2014\u00bd\u00a3\u20ac\u00e9\u03a3\u0130\u200b\ufeff"
            + "\r\u2028\u000b\u0085\u3000\u2044\u00ab\u00bb\u0131\u017f\u212a";
    static final String[] PIECES = {"&amp;", "&apos;", "&quot;", "&lt;", "&gt;", "&nbsp;", "&eacute;", "n't", "'s",
        "http://", "www.", ".com", "U.S.", "etc.", "Mr.", "cannot", "gonna", " The ", " A ", "...", "--", "e.g.",
        "\ud83d\ude00", ".jpg", "o'", "pty.", " ltd", "no.", "-LRB-", ":)", "^_^"};

    @Test
    void seededRandomStringsMatchCoreNlp() {
        Random r = new Random(20140729L);
        List<String> bad = new ArrayList<>();
        int count = 5000;
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + r.nextInt(i < 4000 ? 12 : 60);
            for (int j = 0; j < len; j++) {
                if (r.nextInt(6) == 0) {
                    b.append(PIECES[r.nextInt(PIECES.length)]);
                } else {
                    b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                }
            }
            Mismatches.check(b.toString(), bad);
        }
        Mismatches.assertNone(bad, count);
    }

    /** Lines that end and start the way PTBLexer's look-ahead cares about. */
    static final String[] LINE_ENDS = {"reads K.", "a P.", "Ave S.", "etc.", "U.S.", "no.", "fig.", ":)", "'90",
        "file.jpg", "it's", "Mr.", "I.", "x", "", " ", "A.", "the end.", "Inc.", "<b>"};
    static final String[] LINE_STARTS = {"A man", "The dog", "It is", "a man", "5 dogs", "", " ", "He", "<b> A",
        "\"Quote\"", "'em", "Additionally", "THE END", "  The", "S&P"};

    /** tokenizeAll against CoreNLP over the same captions written one per line (seeded lists). */
    @Test
    void seededCaptionListsMatchCoreNlpAsOneFile() {
        Random r = new Random(1301L);
        List<String> bad = new ArrayList<>();
        int compared = 0;
        for (int run = 0; run < 400; run++) {
            List<String> captions = new ArrayList<>();
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                String start = LINE_STARTS[r.nextInt(LINE_STARTS.length)];
                String end = LINE_ENDS[r.nextInt(LINE_ENDS.length)];
                captions.add(r.nextBoolean() ? start + " " + end : start + end);
            }
            List<String> lines = CoreNlpReference.pipeline(captions);
            assertEquals(captions.size(), lines.size());
            List<String> ours = PtbTokenizer.tokenizeAll(captions);
            for (int i = 0; i < n; i++) {
                compared++;
                if (!ours.get(i).equals(lines.get(i))) {
                    bad.add(Escapes.escape(String.join("\n", captions)) + " -> line " + i + " ours=[" + ours.get(i)
                            + "] corenlp=[" + lines.get(i) + "]");
                }
            }
        }
        Mismatches.assertNone(bad, compared);
    }

    /** Caption-like words around the scanner's fast paths (contractions, abbreviations, numbers). */
    static final String[] WORDS = {"a", "A", "I", "x", "man", "Dog", "the", "The", "surfboard", "cannot", "Gonna",
        "wanna", "St", "Mr", "etc", "Ave", "U.S", "co", "pty", "Pty", "ltd", "no", "fig", "Calif", "mass", "Mass",
        "Bancorp", "Inc", "Messrs", "Jan", "JAN", "e.g", "ca", "ol", "cont", "one", "ONE", "Dunkin", "nor", "O",
        "5", "12", "1/2", "555", "1234", "3.5", "10,000", "2nd", "mp3", "t-shirt", "close-up", "file", "jpg", "com",
        "www", "http", "&", "S&P", "AT&T", "can", "ca", "wo", "do", "does", "is", "ai", "n", "nn", "y", "d", "l"};
    static final String[] SUFFIXES = {"", "", "", ".", ",", "'s", "'S", "n't", "N'T", "'re", "'ll", "'ve", "'d", "'m",
        "'", "'t", ".,", "..", "...", ".jpg", ".com", "!", "?", ";", ":", "-", "-up", "\u2019s", "n\u2019t", "\"", ")"};
    static final String[] SEPARATORS = {" ", " ", " ", "", "  ", "\n", "\u00a0", ". ", ", "};

    @Test
    void seededCaptionLikeStringsMatchCoreNlp() {
        Random r = new Random(202654L);
        List<String> bad = new ArrayList<>();
        int count = 6000;
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int words = 1 + r.nextInt(8);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    b.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
                }
                b.append(WORDS[r.nextInt(WORDS.length)]).append(SUFFIXES[r.nextInt(SUFFIXES.length)]);
            }
            Mismatches.check(b.toString(), bad);
        }
        Mismatches.assertNone(bad, count);
    }

    /**
     * Long runs without spaces: no stack overflow (repetitions are iterated, not recursed) and still
     * CoreNLP's tokens. (Runs that keep an e-mail or hyphenated-word match open for their whole
     * length, e.g. "a,a,a,..." over tens of thousands of characters, are quadratic here as in
     * CoreNLP, only slower: see TOKENIZER.md.)
     */
    @Test
    void longRunsWithoutSpacesMatchCoreNlp() {
        List<String> bad = new ArrayList<>();
        String[] units = {"\u00e9", "a.", "&eacute;", "a-", "1.", "\u00e9-", "-a", "'", ".", "1,", "\u00ad", "a\u00ad"};
        for (String u : units) {
            Mismatches.check(u.repeat(20_000), bad);
        }
        Mismatches.assertNone(bad, units.length);
    }
}
