package org.capeval.metrics.tokenize;

import static org.capeval.metrics.tokenize.Pat.alt;
import static org.capeval.metrics.tokenize.Pat.any;
import static org.capeval.metrics.tokenize.Pat.cls;
import static org.capeval.metrics.tokenize.Pat.lit;
import static org.capeval.metrics.tokenize.Pat.lits;
import static org.capeval.metrics.tokenize.Pat.opt;
import static org.capeval.metrics.tokenize.Pat.plus;
import static org.capeval.metrics.tokenize.Pat.range;
import static org.capeval.metrics.tokenize.Pat.rep;
import static org.capeval.metrics.tokenize.Pat.seq;
import static org.capeval.metrics.tokenize.Pat.star;

import java.util.ArrayList;
import java.util.List;

/**
 * The token rules of CoreNLP 3.4.1's PTBLexer with the options the COCO pipeline uses (default
 * "PTB3 escaping", tokenizeNLs, untokenizable = delete), restated in our own notation.
 *
 * <p>Each macro below has the name PTBLexer gives it and matches the same strings; {@link #RULES}
 * lists the rules in PTBLexer's priority order (JFlex: longest match wins, ties go to the earlier
 * rule; a trailing context {@code r1/r2} counts towards the length but is not consumed).
 * Options that are off in the pipeline (americanize, strictTreebank3, escapeForwardSlashAsterisk,
 * invertible) are not modelled.
 */
final class PtbRules {
    private PtbRules() {}

    /** What a rule does with its text. */
    enum Action {
        /** the text as is */
        PLAIN,
        /** the text without soft hyphens (U+00AD); "-" if nothing is left */
        NO_SOFT_HYPHENS,
        /** only the first {@code param} characters; the rest is scanned again ("cannot" -> "can" "not") */
        PREFIX,
        /** spaces inside the token become U+00A0 (SGML tags, spaced fractions) */
        SPACES_TO_NBSP,
        /** the fixed text {@code fixed} (dashes, brackets) */
        FIXED,
        /** {@code &amp;} -> {@code &} (caseless) */
        AMP,
        /** quote normalisation, quote probably closing: ' " -> ' '' */
        QUOTE_RIGHT,
        /** quote normalisation, quote probably opening: ' " -> ` `` */
        QUOTE_LEFT,
        /** the Unicode fractions 1/4 1/2 3/4 1/3 2/3 spelled out */
        FRACTION,
        /** cent -> "cents", pound -> "#", euro and generic currency -> "$" */
        CURRENCY,
        /** "U.S." before a sentence starter: "U.S." then "." again; a one-letter "I." gives "I" then "." */
        ACRONYM_SENTENCE_END,
        /** sentence-final abbreviation: the token keeps its period and the period is scanned again */
        PERIOD_AGAIN,
        /** phone numbers: spaces -> U+00A0, parentheses -> -LRB- -RRB- */
        PHONE,
        /** smileys: parentheses -> -LRB- -RRB- */
        PARENS,
        /** runs of '-': three or four give "--" */
        HYPHENS,
        /** dropped: white space, U+007F, &amp;nbsp; */
        SKIP,
        /** a line terminator (PTBTokenizer -preserveLines would end the output line here) */
        NEWLINE,
        /** a character no rule matches: dropped (PTBLexer's "Untokenizable" warning) */
        UNTOKENIZABLE
    }

    /** One lexer rule: {@code pattern} is the whole match (body plus trailing context, if any). */
    static final class Rule {
        final String name;
        final Pat pattern;
        /** the part that is consumed when the rule has a trailing context, else null */
        final Pat body;
        /** the trailing context r2 of a rule r1/r2, else null */
        final Pat context;
        final Action action;
        final String fixed;
        final int param;

        Rule(String name, Pat body, Pat context, Action action, String fixed, int param) {
            this.name = name;
            this.pattern = context == null ? body : seq(body, context);
            this.body = context == null ? null : body;
            this.context = context;
            this.action = action;
            this.fixed = fixed;
            this.param = param;
        }
    }

    // ---- character classes ----------------------------------------------------------------------

    /** [:letter:] of the JFlex 1.5.1 that generated PTBLexer (see {@link CharTables}). */
    static boolean isJLetter(char c) {
        return CharTables.isLetter(c);
    }

    /** [:digit:] */
    static boolean isJDigit(char c) {
        return CharTables.isDigit(c);
    }

    /** [:uppercase:] */
    static boolean isJUpper(char c) {
        return CharTables.isUpperCase(c);
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiAlnum(char c) {
        return isAsciiLetter(c) || isAsciiDigit(c);
    }

    /** SPACE: characters PTBLexer treats as blanks (no NEWLINE). */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || (c >= '\u2000' && c <= '\u200A') || c == '\u3000';
    }

    /** The one-character NEWLINE alternatives (plus '\n'). */
    static boolean isNewline(char c) {
        return c == '\r' || c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\u000C'
                || c == '\u0085';
    }

    /** Characters that PTBLexer's LETTER adds to [:letter:] (marks, modifier letters, ...). */
    private static final char[] LETTER_EXTRA = {
        '\u00AD', '\u00AD', '\u0237', '\u024F', '\u02C2', '\u02C5', '\u02D2', '\u02DF', '\u02E5', '\u02FF',
        '\u0300', '\u036F', '\u0370', '\u037D', '\u0384', '\u0385', '\u03CF', '\u03CF', '\u03F6', '\u03F6',
        '\u03FC', '\u03FF', '\u0483', '\u0487', '\u04CF', '\u04CF', '\u04F6', '\u04FF', '\u0510', '\u0525',
        '\u055A', '\u055F', '\u0591', '\u05BD', '\u05BF', '\u05BF', '\u05C1', '\u05C2', '\u05C4', '\u05C5',
        '\u05C7', '\u05C7', '\u0615', '\u061A', '\u063B', '\u063F', '\u064B', '\u065E', '\u0670', '\u0670',
        '\u06D6', '\u06EF', '\u06FA', '\u06FF', '\u070F', '\u070F', '\u0711', '\u0711', '\u0730', '\u074F',
        '\u0750', '\u077F', '\u07A6', '\u07B1', '\u07CA', '\u07F5', '\u07FA', '\u07FA', '\u0900', '\u0903',
        '\u093C', '\u093C', '\u093E', '\u094E', '\u0951', '\u0955', '\u0962', '\u0963', '\u0981', '\u0983',
        '\u09BC', '\u09C4', '\u09C7', '\u09C8', '\u09CB', '\u09CD', '\u09D7', '\u09D7', '\u09E2', '\u09E3',
        '\u0A01', '\u0A03', '\u0A3C', '\u0A3C', '\u0A3E', '\u0A4F', '\u0A81', '\u0A83', '\u0ABC', '\u0ACF',
        '\u0B82', '\u0B82', '\u0BBE', '\u0BC2', '\u0BC6', '\u0BC8', '\u0BCA', '\u0BCD', '\u0C01', '\u0C03',
        '\u0C3E', '\u0C56', '\u0D3E', '\u0D44', '\u0D46', '\u0D48', '\u0E30', '\u0E3A', '\u0E47', '\u0E4E',
        '\u0EB1', '\u0EBC', '\u0EC8', '\u0ECD',
    };

    /** One character of LETTER (the SPLET entities are handled by the LETTER pattern). */
    static boolean isLetterChar(char c) {
        if (isJLetter(c)) {
            return true;
        }
        if (c < '\u00AD' || c > '\u0ECD') {
            return false;
        }
        for (int i = 0; i < LETTER_EXTRA.length; i += 2) {
            if (c >= LETTER_EXTRA[i] && c <= LETTER_EXTRA[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** DIGIT = [:digit:] or the NKo digits. */
    static boolean isDigitChar(char c) {
        return isJDigit(c) || (c >= '\u07C0' && c <= '\u07C9');
    }

    /** MISCSYMBOL: stand-alone symbols (math, arrows, ...). */
    static boolean isMiscSymbol(char c) {
        switch (c) {
            case '+': case '%': case '&': case '~': case '^': case '|': case '\\':
            case '\u00A6': case '\u00A7': case '\u00A8': case '\u00A9': case '\u00AC': case '\u00AE': case '\u00AF':
            case '\u00D7': case '\u00F7': case '\u0387': case '\u05BE': case '\u05C0': case '\u05C3': case '\u05C6':
            case '\u05F3': case '\u05F4': case '\u060C': case '\u0614': case '\u061B': case '\u061E': case '\u066A':
            case '\u066D': case '\u07F6': case '\u07F7': case '\u07F8': case '\u0964': case '\u0965': case '\u0E4F':
            case '\u1FBD': case '\u2016': case '\u2017': case '\u203B': case '\u2044': case '\u3012': case '\u30FB':
                return true;
            default:
                return (c >= '\u00B0' && c <= '\u00BA') || (c >= '\u0600' && c <= '\u0603')
                        || (c >= '\u0606' && c <= '\u060A') || (c >= '\u0703' && c <= '\u070D')
                        || (c >= '\u2020' && c <= '\u2023') || (c >= '\u2030' && c <= '\u2038')
                        || (c >= '\u203E' && c <= '\u2042') || (c >= '\u207A' && c <= '\u207F')
                        || (c >= '\u208A' && c <= '\u208E') || (c >= '\u2100' && c <= '\u214F')
                        || (c >= '\u2190' && c <= '\u21FF') || (c >= '\u2200' && c <= '\u2BFF')
                        || (c >= '\uFF01' && c <= '\uFF0F') || (c >= '\uFF1A' && c <= '\uFF20')
                        || (c >= '\uFF3B' && c <= '\uFF40') || (c >= '\uFF5B' && c <= '\uFF65');
        }
    }

    // ---- macros (PTBLexer's names) ---------------------------------------------------------------

    static final Pat SPACE = cls(PtbRules::isSpace);
    static final Pat NEWLINE = alt(any("\r\u2028\u2029\u000B\u000C\u0085"), seq(opt(any("\r")), any("\n")));
    static final Pat SPACENL = alt(SPACE, NEWLINE);
    static final Pat SPACENLS = plus(SPACENL);

    private static final Pat AZ = cls(PtbRules::isAsciiLetter);
    private static final Pat UPPER_AZ = range('A', 'Z');
    private static final Pat AZ09 = cls(PtbRules::isAsciiAlnum);
    private static final Pat D09 = range('0', '9');
    private static final Pat JLETTER = cls(PtbRules::isJLetter);
    private static final Pat JLETTER_OR_DIGIT = cls(c -> isJLetter(c) || isJDigit(c));

    /** SGML tag name characters [A-Za-z0-9_:.-] after a letter. */
    private static final Pat TAGNAME = seq(AZ, star(cls(c -> isAsciiAlnum(c) || c == '_' || c == ':' || c == '.' || c == '-')));
    private static final Pat BLANKS = star(any(" "));

    static final Pat SGML = seq(any("<"),
            alt(seq(any("!?"), cls(c -> isAsciiLetter(c) || c == '-'), star(cls(c -> c != '>' && c != '\r' && c != '\n'))),
                seq(TAGNAME,
                    star(seq(plus(any(" ")),
                        alt(TAGNAME,
                            seq(TAGNAME, BLANKS, any("="), BLANKS,
                                alt(seq(any("'"), star(cls(c -> c != '\'')), any("'")),
                                    seq(any("\""), star(cls(c -> c != '"')), any("\""))))))),
                    BLANKS, opt(any("/"))),
                seq(any("/"), TAGNAME)),
            BLANKS, any(">"));

    static final Pat SPMDASH = alt(seq(lit("&"), lits("MD", "mdash", "ndash"), lit(";")), any("\u0096\u0097\u2013\u2014\u2015"));
    static final Pat SPAMP = lit("&amp;");
    static final Pat SPPUNC = seq(lit("&"), alt(lits("HT", "TL", "UR", "LR", "QC", "QL", "QR", "odq", "cdq"),
            seq(lit("#"), plus(D09))), lit(";"));
    static final Pat SPLET = seq(lit("&"), any("aeiouAEIOU"), lits("acute", "grave", "uml"), lit(";"));

    static final Pat SENTEND = seq(SPACENL, alt(SPACENL, cls(PtbRules::isJUpper), SGML));
    static final Pat DIGIT = cls(PtbRules::isDigitChar);
    static final Pat DATE = seq(rep(DIGIT, 1, 2), any("-/"), rep(DIGIT, 1, 2), any("-/"), rep(DIGIT, 2, 4));
    static final Pat NUM = alt(plus(DIGIT), seq(star(DIGIT), plus(seq(any(".:,\u00AD\u066B\u066C"), plus(DIGIT)))));
    static final Pat NUMBER = seq(opt(any("-+")), NUM);
    static final Pat SUBSUPNUM = seq(opt(any("\u207A\u207B\u208A\u208B")),
            alt(plus(cls(c -> c == '\u2070' || c == '\u00B9' || c == '\u00B2' || c == '\u00B3' || (c >= '\u2074' && c <= '\u2079'))),
                plus(range('\u2080', '\u2089'))));
    static final Pat FRAC = seq(opt(seq(rep(DIGIT, 1, 4), any("- \u00A0"))), rep(DIGIT, 1, 4),
            alt(seq(opt(any("\\")), any("/")), any("\u2044")), rep(DIGIT, 1, 4));
    static final Pat FRAC2 = cls(c -> c == '\u00BC' || c == '\u00BD' || c == '\u00BE' || (c >= '\u2153' && c <= '\u215E'));
    static final Pat DOLSIGN = alt(seq(star(UPPER_AZ), any("$")), any("#"));
    static final Pat DOLSIGN2 = any("\u00A2\u00A3\u00A4\u00A5\u0080\u20A0\u20AC\u060B\u0E3F\u20A4\uFFE0\uFFE1\uFFE5\uFFE6");

    static final Pat LETTER = alt(cls(PtbRules::isLetterChar), SPLET);
    private static final Pat LETTER_OR_DIGIT = alt(cls(c -> isLetterChar(c) || isDigitChar(c)), SPLET);
    static final Pat WORD = seq(LETTER, star(LETTER_OR_DIGIT), star(seq(any(".!?"), LETTER, star(LETTER_OR_DIGIT))));

    static final Pat FILENAME_EXT = lits("bat", "bmp", "c", "class", "cgi", "cpp", "dll", "doc", "docx", "exe", "gif",
            "gz", "h", "htm", "html", "jar", "java", "jpeg", "jpg", "mov", "mp3", "pdf", "php", "pl", "png", "ppt", "ps",
            "py", "sql", "tar", "txt", "wav", "x", "xml", "zip");
    static final Pat FILENAME = seq(plus(LETTER_OR_DIGIT), star(seq(any("."), plus(LETTER_OR_DIGIT))), any("."), FILENAME_EXT);

    static final Pat APOS = alt(any("'\u0092\u2019"), lit("&apos;"));
    static final Pat APOSETCETERA = alt(APOS, any("`\u0091\u2018\u201B"));
    static final Pat HYPHEN = any("-_\u058A\u2010\u2011");
    private static final Pat THING_PART = seq(opt(seq(any("dDoOlL"), APOSETCETERA, JLETTER_OR_DIGIT)), plus(JLETTER_OR_DIGIT));
    static final Pat THING = seq(THING_PART, star(seq(HYPHEN, THING_PART)));
    static final Pat THINGA = seq(plus(UPPER_AZ), plus(seq(alt(any("+&"), SPAMP), plus(UPPER_AZ))));
    private static final Pat HYPHEN_WORDS = rep(seq(any("-"), plus(AZ)), 0, 2);
    static final Pat THING3 = seq(plus(AZ09), HYPHEN_WORDS, rep(seq(opt(any("\\")), any("/"), plus(AZ09), HYPHEN_WORDS), 1, 2));

    static final Pat ACRO_SPECIAL = alt(seq(lits("Canada", "Sino", "Korean", "EU", "Japan", "non"), lit("-U.S")),
            seq(lit("U.S.-"), lits("U.K", "U.S.S.R")));
    static final Pat ACRO = alt(seq(AZ, star(seq(any("."), AZ))), ACRO_SPECIAL);
    static final Pat ACRO2 = alt(seq(AZ, plus(seq(any("."), AZ))), ACRO_SPECIAL);
    static final Pat HTHING = seq(AZ09, star(cls(c -> isAsciiAlnum(c) || c == '.' || c == ',' || c == '\u00AD')),
            plus(seq(any("-"), alt(plus(cls(c -> isAsciiAlnum(c) || c == '\u00AD')), seq(ACRO2, any("."))))));

    static final Pat REDAUX = seq(APOS, alt(any("msdMSD"), lits("re", "ve", "ll")));
    static final Pat SWORD = seq(star(cls(c -> isAsciiLetter(c) || c == '\u00AD')),
            cls(c -> isAsciiLetter(c) && c != 'n' && c != 'N'), star(any("\u00AD")));
    static final Pat SREDAUX = seq(lit("n"), APOSETCETERA, lit("t"));

    static final Pat APOWORD = alt(
            seq(APOS, lit("n"), opt(APOS)),
            seq(any("lLdDjJ"), APOS),
            seq(lits("Dunkin", "somethin", "ol"), APOS),
            seq(APOS, lit("em")),
            seq(cls(c -> (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'X') || c == 'Z' || c == 'n'), APOSETCETERA,
                JLETTER, JLETTER, star(JLETTER)),
            seq(APOS, range('2', '9'), lit("0s")),
            seq(APOS, lit("til"), opt(lit("l"))),
            seq(JLETTER, star(JLETTER), any("aeiouyAEIOUY"), APOSETCETERA, cls(c -> "aeiou".indexOf(c) >= 0 || (c >= 'A' && c <= 'Z')),
                star(JLETTER)),
            seq(APOS, lit("cause")),
            seq(lit("cont'd"), opt(lit("."))),
            lits("'twas", "nor'easter", "c'mon", "e'er", "s'mores", "ev'ry", "li'l", "nat'l"),
            seq(lit("O"), APOSETCETERA, lit("o")));
    static final Pat APOWORD2 = seq(lit("y"), APOS);

    private static final Pat URL_CHAR = cls(c -> " \t\n\f\r\"<>|(){}".indexOf(c) < 0);
    private static final Pat URL_LAST = cls(c -> " \t\n\f\r\"<>|.!?(){},-".indexOf(c) < 0);
    static final Pat FULLURL = seq(lit("http"), opt(lit("s")), lit("://"), plus(URL_CHAR), URL_LAST);
    /** the second host class of LIKELYURL: its ",-_" is a range, so it also excludes digits and A-Z */
    private static final Pat LIKELY_HOST = cls(c -> " \t\n\f\r\"`'<>|.!?(){}$".indexOf(c) < 0 && !(c >= ',' && c <= '_'));
    static final Pat LIKELYURL = seq(
            alt(seq(lit("www."), plus(seq(plus(cls(c -> " \t\n\f\r\"<>|.!?(){},".indexOf(c) < 0)), any("."))), rep(AZ, 2, 4)),
                seq(plus(seq(plus(LIKELY_HOST), any("."))), lits("com", "net", "org", "edu"))),
            opt(seq(any("/"), plus(cls(c -> " \t\n\f\r\"<>|()".indexOf(c) < 0)), URL_LAST)));
    private static final Pat EMAIL_HOST = cls(c -> " \t\n\f\r\"<>|(){}.\u00A0".indexOf(c) < 0);
    static final Pat EMAIL = seq(opt(alt(lit("&lt;"), any("<"))), AZ09, star(cls(c -> " \t\n\f\r\"<>|()\u00A0{}".indexOf(c) < 0)),
            any("@"), star(seq(plus(EMAIL_HOST), any("."))), plus(EMAIL_HOST), opt(alt(lit("&gt;"), any(">"))));
    static final Pat TWITTER = alt(seq(any("@"), cls(c -> isAsciiLetter(c) || c == '_'), star(cls(c -> isAsciiAlnum(c) || c == '_'))),
            seq(any("#"), plus(LETTER)));

    static final Pat ABMONTH = lits("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec");
    static final Pat ABDAYS = lits("Mon", "Tue", "Tues", "Wed", "Thu", "Thurs", "Fri");
    /** [X]yz: first letter case-sensitive, the rest caseless */
    private static Pat capFirst(char first, String rest) {
        return seq(any(String.valueOf(first)), lit(rest));
    }
    static final Pat ABSTATE = alt(lits("Ala", "Ariz"), capFirst('A', "z"), capFirst('A', "rk"), lits("Calif", "Colo", "Conn", "Ct", "Dak"),
            capFirst('D', "el"), lits("Fla", "Ga"), capFirst('I', "ll"), seq(lit("Ind")), seq(lit("Kan"), opt(lit("s"))),
            lit("Ky"), capFirst('L', "a"), capFirst('M', "ass"), lits("Md", "Mich", "Minn"), capFirst('M', "iss"),
            lits("Mo", "Mont", "Neb", "Nev", "Okla"), capFirst('O', "re"), capFirst('P', "a"), lits("Penn", "Tenn"),
            capFirst('T', "ex"), lits("Va", "Vt"), capFirst('W', "ash"), seq(lit("Wis"), opt(lit("c"))), lit("Wyo"));
    static final Pat ABCOMP = alt(lit("Inc"), seq(lit("Co"), opt(lit("s"))), lit("Corp"),
            seq(lit("P"), opt(lit("p")), lit("t"), any("ye"), opt(lit("s"))),
            lits("Ltd", "Plc", "Rt", "Bancorp", "Bhd", "Assn", "Univ", "Intl", "Sys"));
    static final Pat ABNUM = lits("tel", "est", "ext", "sq");
    static final Pat ABPTIT = alt(lits("Jr", "Sr", "Bros"), seq(lits("Ed", "Ph"), lit(".D")), lits("Blvd", "Rd", "Esq"));
    static final Pat ABBREV1 = seq(alt(ABMONTH, ABDAYS, ABSTATE, ABCOMP, ABNUM, ABPTIT, lits("etc", "al", "seq", "Bldg")), any("."));

    /** "Drs?" etc.: a caseless word with an optional caseless last letter */
    private static Pat optLast(String word, String last) {
        return seq(lit(word), opt(lit(last)));
    }
    static final Pat ABTITLE = alt(lits("Mr", "Mrs", "Ms"), capFirst('M', "iss"), optLast("Dr", "s"), optLast("Prof", "s"),
            optLast("Sen", "s"), optLast("Rep", "s"), optLast("Atty", "s"), lits("Lt", "Col", "Gen", "Messrs"),
            optLast("Gov", "s"), lits("Adm", "Rev", "Maj", "Sgt", "Cpl", "Pvt", "Capt"), optLast("St", "e"),
            lits("Ave", "Pres", "Lieut", "Hon", "Brig"), seq(lit("C"), opt(lit("o")), lit("mdr")), lits("Pfc", "Spc"),
            optLast("Supt", "s"), lits("Det", "Mt", "Ft", "Adj", "Adv", "Asst", "Assoc", "Ens", "Insp", "Mlle", "Mme",
            "Msgr", "Sfc"));
    static final Pat ABCOMP2 = alt(lits("Invt", "Elec", "Natl"), seq(lit("M"), any("ft"), lit("g")), lit("Dept"));
    static final Pat ABBREV4 = alt(ABTITLE, lits("vs", "Alex", "Wm", "Jos", "Cie", "a.k.a", "cf", "TREAS", "Ph"), ACRO, ABCOMP2);
    static final Pat ABBREV2 = seq(ABBREV4, any("."));
    static final Pat ACRONYM = seq(ACRO, any("."));
    static final Pat ABBREV3 = seq(lits("ca", "fig", "figs", "prop", "no", "nos", "art", "bldg", "pp", "op"), any("."));

    /** Any abbreviation with its period (the fast path's test that a word's period is a token). */
    static final Pat ABBREVIATION = alt(ABBREV1, ABBREV2, ABBREV3, seq(alt(seq(lit("pt"), any("eyEY")), lit("co")), any(".")));

    /** Words after which "U.S." etc. end a sentence ([A]bout: first letter case-sensitive). */
    static final Pat SENTENCE_STARTERS = alt(
            capFirst('A', "bout"), capFirst('A', "ccording"), capFirst('A', "dditionally"), capFirst('A', "fter"),
            capFirst('A', "n"), any("A"), capFirst('A', "s"), capFirst('A', "t"), capFirst('B', "ut"),
            capFirst('E', "arlier"), capFirst('H', "e"), capFirst('H', "er"), capFirst('H', "ere"),
            capFirst('H', "owever"), capFirst('I', "f"), capFirst('I', "n"), capFirst('I', "t"), capFirst('L', "ast"),
            capFirst('M', "any"), capFirst('M', "ore"), capFirst('M', "r."), capFirst('M', "s."), capFirst('N', "ow"),
            capFirst('O', "nce"), capFirst('O', "ne"), capFirst('O', "ther"), capFirst('O', "ur"), capFirst('S', "he"),
            capFirst('S', "ince"), capFirst('S', "o"), capFirst('S', "ome"), capFirst('S', "uch"), capFirst('T', "hat"),
            capFirst('T', "he"), capFirst('T', "heir"), capFirst('T', "hen"), capFirst('T', "here"),
            capFirst('T', "hese"), capFirst('T', "hey"), capFirst('T', "his"), capFirst('W', "e"), capFirst('W', "hen"),
            capFirst('W', "hile"), capFirst('W', "hat"), capFirst('Y', "et"), capFirst('Y', "ou"), SGML);

    private static final Pat PHONE_SEP = any("- \u00A0");
    static final Pat PHONE = alt(
            seq(alt(seq(any("("), rep(D09, 2, 3), any(")"), opt(any(" \u00A0"))),
                    seq(opt(seq(any("+"), opt(any("+")))), opt(seq(rep(D09, 2, 4), PHONE_SEP)), rep(D09, 2, 4), PHONE_SEP)),
                rep(D09, 3, 4), opt(PHONE_SEP), rep(D09, 3, 5)),
            seq(opt(seq(opt(seq(any("+"), opt(any("+")))), rep(D09, 2, 4), any("."))), rep(D09, 2, 4), any("."),
                rep(D09, 3, 4), any("."), rep(D09, 3, 5)));

    static final Pat FAKEDUCKFEET = alt(lit("<<"), lit(">>"));
    static final Pat LESSTHAN = alt(any("<"), lit("&lt;"));
    static final Pat GREATERTHAN = alt(any(">"), lit("&gt;"));
    static final Pat HYPHENS = plus(any("-"));
    static final Pat LDOTS = alt(rep(any("."), 3, 5), seq(rep(seq(any("."), any(" \u00A0")), 2, 4), any(".")), any("\u0085\u2026"));
    static final Pat FNMARKS = alt(plus(any("@")), plus(any("#")), plus(any("_")));
    static final Pat ASTS = alt(plus(any("*")), rep(lit("\\*"), 1, 3));
    static final Pat INSENTP = any(",;:\u3001");
    static final Pat QUOTES = alt(APOS, lit("''"),
            rep(any("`\u2018\u2019\u201A\u201B\u201C\u201D\u0091\u0092\u0093\u0094\u201E\u201F\u2039\u203A\u00AB\u00BB"), 1, 2));
    static final Pat DBLQUOT = alt(any("\""), lit("&quot;"));
    static final Pat TBSPEC = alt(seq(lit("-"), lits("RRB", "LRB", "RCB", "LCB", "RSB", "LSB"), lit("-")), lit("C.D.s"),
            lits("pro-", "anti-"), seq(lit("S"), alt(lit("&"), SPAMP), alt(lit("P-500"), lit("Ls"))),
            seq(lit("Cap"), APOS, lit("n")), seq(lit("c"), APOS, lit("est")));
    static final Pat TBSPEC2 = seq(APOS, D09, D09);
    static final Pat SMILEY = seq(opt(any("<>")), any(":;="), opt(any("-o*'")), any("()DPdpO\\{@|[]"));
    private static final String ASIAN_EYES = "^x=~<>";
    static final Pat ASIANSMILEY = alt(
            // PTBLexer escapes the second '[' here, so this alternative is the literal text ".[^x=~<>]"
            seq(any(ASIAN_EYES), lit(".[^x=~<>]")),
            seq(any("-" + ASIAN_EYES + "'"), any("_"), any("-" + ASIAN_EYES + "'")),
            seq(any("("), any("-" + ASIAN_EYES + "'"), opt(any("_.")), any("-" + ASIAN_EYES + "'"), any(")")),
            seq(any("("), any(ASIAN_EYES + "'"), any("-"), any(ASIAN_EYES + "'`"), any(")")));
    static final Pat MISCSYMBOL = cls(PtbRules::isMiscSymbol);

    // ---- rules, in PTBLexer's order ----------------------------------------------------------------

    /** All rules in PTBLexer's order (filled once below, read-only afterwards). */
    static final List<Rule> RULES = new ArrayList<>();

    private static void rule(String name, Pat p, Action a) {
        RULES.add(new Rule(name, p, null, a, null, 0));
    }

    private static void rule(String name, Pat p, Pat context, Action a) {
        RULES.add(new Rule(name, p, context, a, null, 0));
    }

    private static void fixed(String name, Pat p, String text) {
        RULES.add(new Rule(name, p, null, Action.FIXED, text, 0));
    }

    private static void prefix(String name, Pat p, int keep) {
        RULES.add(new Rule(name, p, null, Action.PREFIX, null, keep));
    }

    static {
        Pat notAsciiLetter = cls(c -> !isAsciiLetter(c));
        Pat anyChar = cls(c -> true);

        // programming language names stay whole
        rule("c++", seq(lit("c"), any("+"), any("+")), Action.PLAIN);
        rule("c# f#", seq(lits("c", "f"), lit("#")), Action.PLAIN);
        // split assimilations: "cannot" -> "can" "not", "'twas" -> "'t" "was", "gonna" -> "gon" "na"
        prefix("cannot", lit("cannot"), 3);
        prefix("'twas", lit("'twas"), 2);
        prefix("'tis", lit("'tis"), 2);
        prefix("gonna...", lits("gonna", "gotta", "lemme", "gimme", "wanna"), 3);
        // markup, dash and punctuation entities
        rule("SGML", SGML, Action.SPACES_TO_NBSP);
        fixed("SPMDASH", SPMDASH, "--");
        rule("SPAMP", SPAMP, Action.AMP);
        rule("SPPUNC", SPPUNC, Action.PLAIN);
        // words, with clitics split off: "it's" -> "it" "'s", "don't" -> "do" "n't"
        rule("WORD/REDAUX", WORD, REDAUX, Action.NO_SOFT_HYPHENS);
        rule("SWORD/SREDAUX", SWORD, SREDAUX, Action.NO_SOFT_HYPHENS);
        rule("WORD", WORD, Action.NO_SOFT_HYPHENS);
        // words with an inner apostrophe kept whole: o'clock, rock 'n' roll, y'all
        rule("APOWORD", APOWORD, Action.PLAIN);
        rule("APOWORD2/letter", APOWORD2, JLETTER, Action.PLAIN);
        // URLs, e-mail addresses, #tags and @names stay whole
        rule("FULLURL", FULLURL, Action.PLAIN);
        rule("LIKELYURL", LIKELYURL, Action.PLAIN);
        rule("EMAIL", EMAIL, Action.PLAIN);
        rule("TWITTER", TWITTER, Action.PLAIN);
        // the clitic itself ('s 're n't), its apostrophe normalised
        rule("REDAUX/[^A-Za-z]", REDAUX, notAsciiLetter, Action.QUOTE_RIGHT);
        rule("SREDAUX/[^A-Za-z]", SREDAUX, notAsciiLetter, Action.QUOTE_RIGHT);
        // numbers, dates, fractions ("12 1/2" is one token with U+00A0), currency ($, US$, pound -> #)
        rule("DATE", DATE, Action.PLAIN);
        rule("NUMBER", NUMBER, Action.NO_SOFT_HYPHENS);
        rule("SUBSUPNUM", SUBSUPNUM, Action.PLAIN);
        rule("FRAC", FRAC, Action.SPACES_TO_NBSP);
        rule("FRAC2", FRAC2, Action.FRACTION);
        rule("TBSPEC", TBSPEC, Action.AMP);
        rule("THING3", THING3, Action.PLAIN);
        rule("DOLSIGN", DOLSIGN, Action.PLAIN);
        rule("DOLSIGN2", DOLSIGN2, Action.CURRENCY);
        // abbreviations: the period stays on the word; at a sentence end it is also a token of its own
        rule("ACRONYM/sentence starter", ACRONYM, seq(SPACENLS, SENTENCE_STARTERS, SPACENL), Action.ACRONYM_SENTENCE_END);
        rule("ABBREV3/digit", ABBREV3, seq(opt(SPACENL), cls(PtbRules::isJDigit)), Action.PLAIN);
        rule("pty. ltd.", seq(alt(seq(lit("pt"), any("eyEY")), lit("co")), any(".")), seq(SPACE, lits("ltd", "lim")), Action.PLAIN);
        rule("ABBREV1/SENTEND", ABBREV1, SENTEND, Action.PERIOD_AGAIN);
        rule("ABBREV1/[^][^]", ABBREV1, seq(anyChar, anyChar), Action.PLAIN);
        rule("ABBREV1", ABBREV1, Action.PERIOD_AGAIN);
        rule("ABBREV2", ABBREV2, Action.PLAIN);
        rule("ABBREV4/SPACE", ABBREV4, SPACE, Action.PLAIN);
        rule("ACRO/SPACENL", ACRO, SPACENL, Action.PLAIN);
        rule("TBSPEC2/SPACENL", TBSPEC2, SPACENL, Action.PLAIN);
        // file names and "word." before , ; : keep their period
        rule("FILENAME/SPACENL|[.?!,]", FILENAME, alt(SPACENL, any(".?!,")), Action.PLAIN);
        rule("WORD./INSENTP", seq(WORD, any(".")), INSENTP, Action.NO_SOFT_HYPHENS);
        // phone numbers, quotes (opening before a letter or digit), <, >, smileys, brackets as -LRB- etc.
        rule("PHONE", PHONE, Action.PHONE);
        rule("DBLQUOT/[A-Za-z0-9$]", DBLQUOT, cls(c -> isAsciiAlnum(c) || c == '$'), Action.QUOTE_LEFT);
        rule("DBLQUOT", DBLQUOT, Action.QUOTE_RIGHT);
        rule("DEL", any("\u007F"), Action.SKIP);
        fixed("LESSTHAN", LESSTHAN, "<");
        fixed("GREATERTHAN", GREATERTHAN, ">");
        rule("SMILEY/[^A-Za-z0-9]", SMILEY, cls(c -> !isAsciiAlnum(c)), Action.PARENS);
        rule("ASIANSMILEY", ASIANSMILEY, Action.PARENS);
        fixed("{", any("{"), "-LCB-");
        fixed("}", any("}"), "-RCB-");
        fixed("[", any("["), "-LSB-");
        fixed("]", any("]"), "-RSB-");
        fixed("(", any("("), "-LRB-");
        fixed(")", any(")"), "-RRB-");
        // dashes, ellipses, punctuation marks; "!!" and "?!" are one token
        rule("HYPHENS", HYPHENS, Action.HYPHENS);
        fixed("LDOTS", LDOTS, "...");
        rule("FNMARKS", FNMARKS, Action.PLAIN);
        rule("ASTS", ASTS, Action.PLAIN);
        rule("INSENTP", INSENTP, Action.PLAIN);
        rule("[?!]+", plus(any("?!")), Action.PLAIN);
        rule("sentence punctuation", any(".\u00A1\u00BF\u037E\u0589\u061F\u06D4\u0700\u0701\u0702\u07FA\u3002"), Action.PLAIN);
        rule("=", any("="), Action.PLAIN);
        rule("/", any("/"), Action.PLAIN);
        // hyphenated and other compound tokens: well-known, 3-year-old, AT&T
        rule("HTHING./INSENTP", seq(HTHING, any(".")), INSENTP, Action.NO_SOFT_HYPHENS);
        rule("HTHING", HTHING, Action.NO_SOFT_HYPHENS);
        rule("THING./INSENTP", seq(THING, any(".")), INSENTP, Action.PLAIN);
        rule("THING", THING, Action.PLAIN);
        rule("THINGA./INSENTP", seq(THINGA, any(".")), INSENTP, Action.AMP);
        rule("THINGA", THINGA, Action.AMP);
        // remaining quotes; an apostrophe before a letter and a non-blank is an opening quote
        rule("'/[A-Za-z][^ \\t\\n\\r\\u00A0]", any("'"), seq(AZ, cls(c -> " \t\n\r\u00A0".indexOf(c) < 0)), Action.QUOTE_LEFT);
        rule("REDAUX", REDAUX, Action.QUOTE_RIGHT);
        rule("SREDAUX", SREDAUX, Action.QUOTE_RIGHT);
        rule("QUOTES", QUOTES, Action.QUOTE_RIGHT);
        // symbols stand alone
        rule("FAKEDUCKFEET", FAKEDUCKFEET, Action.PLAIN);
        rule("MISCSYMBOL", MISCSYMBOL, Action.PLAIN);
        // separators: blanks, zero-width characters, line terminators, &nbsp;
        rule("blanks", alt(any("\u0000"), plus(SPACE), any("\u200B\u200E\u200F\uFEFF")), Action.SKIP);
        rule("NEWLINE", NEWLINE, Action.NEWLINE);
        rule("&nbsp;", lit("&nbsp;"), Action.SKIP);
        // JFlex's '.' is any character but a line terminator
        rule("untokenizable", cls(c -> !isNewline(c)), Action.UNTOKENIZABLE);
    }
}
