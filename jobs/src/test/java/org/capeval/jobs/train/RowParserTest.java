package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowParserTest {
    private final RowParser parser = new RowParser(ModelSpec.parse("softmax:3-4"));

    @Test
    void parsesLibsvmAndCsv() {
        RowParser.Row r = parser.libsvm("2 1:0.5 3:-1e-3", "f");
        assertArrayEquals(new double[] {0.5, 0, -1e-3}, r.features());
        assertEquals(2, r.label());
        RowParser.Row c = parser.csv("3, 1.5,2,  -4", "f");
        assertArrayEquals(new double[] {1.5, 2, -4}, c.features());
        assertEquals(3, c.label());
        assertNull(parser.csv("   ", "f"));
        assertNull(parser.libsvm("# a comment", "f"));
    }

    @Test
    void badRowsNameTheRecordAndField() {
        bad(() -> parser.csv("1,2,NaN,4", "data.csv (line at byte 17)"), "data.csv (line at byte 17): feature 2 (column 3) is NaN");
        bad(() -> parser.csv("1,2,Infinity,4", "w"), "feature 2 (column 3) is Infinity");
        bad(() -> parser.csv("1,2,3", "w"), "2 features, but the model softmax:3-4 expects 3");
        bad(() -> parser.csv("1,2", "w"), "w: 1 feature, but the model softmax:3-4 expects 3 (CSV rows are: label, then the features)");
        bad(() -> parser.check(new double[] {1}, 0, "w"), "w: 1 feature, but the model softmax:3-4 expects 3");
        bad(() -> parser.csv("9,2,3,4", "w"), "label 9.0 is out of range for softmax:3-4");
        bad(() -> parser.csv("1,2,x,4", "w"), "feature 2 (column 3) 'x' is not a number");
        bad(() -> parser.libsvm("1 4:1", "w"), "feature index 4 is outside 1..3");
        bad(() -> parser.libsvm("1 2:1 1:1", "w"), "feature index 1 does not increase");
        bad(() -> parser.libsvm("1 2=1", "w"), "field 2 '2=1' is not index:value");
        bad(() -> parser.check(new double[] {1, 2}, 0, "row 5"), "row 5: 2 features");
    }

    private static void bad(org.junit.jupiter.api.function.Executable f, String part) {
        BadInputException e = assertThrows(BadInputException.class, f);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
