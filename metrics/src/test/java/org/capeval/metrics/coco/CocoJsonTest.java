package org.capeval.metrics.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CocoJsonTest {
    static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static final String REFS = "{\"images\": [{\"id\": 5, \"file_name\": \"x\"}, {\"id\": 3}],"
            + " \"annotations\": [{\"image_id\": 3, \"id\": 1, \"caption\": \"b\"}, {\"image_id\": 5, \"caption\": \"a\"},"
            + " {\"image_id\": 3, \"caption\": \"c\"}], \"licenses\": [{\"x\": [1, {\"y\": 2}]}]}";

    @Test
    void readsAnnotationsAndResultsInFileOrder() throws IOException {
        CocoReferences refs = CocoReferences.read(in(REFS), "refs.json");
        assertEquals(List.of(5L, 3L), refs.imageIds());
        assertEquals(List.of("b", "c"), refs.captions(3));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("[{\"image_id\": 3, \"caption\": \"x\", \"id\": 9}, {\"image_id\": 5.0, \"caption\": \"y\"}]".getBytes(StandardCharsets.UTF_8));
        }
        CocoResults res = CocoResults.read(CocoJson.maybeGunzip(new ByteArrayInputStream(gz.toByteArray())), "res.json.gz");
        assertEquals(2, res.size());
        assertEquals(5L, res.imageId(1));
        List<org.capeval.metrics.core.EvalImage> set = org.capeval.metrics.core.EvaluationSet.of(refs, res);
        assertEquals(List.of(5L, 3L), set.stream().map(org.capeval.metrics.core.EvalImage::imageId).toList());
    }

    static void fails(String results, String... fragments) {
        CocoReferences refs = CocoReferences.read(in(REFS), "refs.json");
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> org.capeval.metrics.core.EvaluationSet.of(refs, CocoResults.read(in(results), "res.json")));
        assertTrue(e.getMessage().startsWith("res.json"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void aSyntaxErrorIsOneLineWithJacksonsLocationsAsLinesAndColumns() {
        for (String[] k : new String[][] {
            {"[{\"image_id\": 3, \"caption\": \"a\"},\n {\"image_id\": 5 \"caption\": \"b\"}]",
                "res.json: results[1] (image_id 5): malformed JSON at line 2, column 17: Unexpected character ('\"' (code 34))"},
            {"[{\"image_id\": 3, \"caption\": \"a\"}", "malformed JSON at line 1, column 33: Unexpected end-of-input: "
                + "expected close marker for Array (start marker at line 1, column 1)"},
        }) {
            CocoFormatException e = assertThrows(CocoFormatException.class, () -> CocoResults.read(in(k[0]), "res.json"));
            assertTrue(e.getMessage().contains(k[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("Source") && !e.getMessage().contains("REDACTED"), e.getMessage());
        }
    }

    @Test
    void namesFileRecordAndImageOnBadInput() {
        fails("[{\"image_id\": 3, \"caption\": \"a\"}, {\"image_id\": 4, \"caption\": \"b\"}]", "results[1]", "image_id 4", "no image 4");
        fails("[{\"image_id\": 3, \"caption\": \"a\"}, {\"image_id\": 3, \"caption\": \"b\"}]", "results[1]", "image_id 3", "second result", "results[0]");
        fails("[{\"image_id\": 3, \"caption\": 7}]", "results[0]", "image_id 3", "must be a string");
        fails("[{\"image_id\": 3, \"caption\": null}]", "results[0]", "must be a string");
        fails("[{\"image_id\": 3}]", "results[0]", "image_id 3", "missing field \"caption\"");
        fails("[{\"caption\": \"a\"}]", "results[0]", "missing field \"image_id\"");
        fails("[{\"image_id\": \"3\", \"caption\": \"a\"}]", "results[0]", "must be an integer (found a string \"3\")");
        fails("[{\"image_id\": \"a\\\"b\\n\", \"caption\": \"a\"}]", "results[0]", "must be an integer (found a string \"a\\\"b\\n\")");
        fails("[{\"image_id\": \"" + "x".repeat(39) + "\uD83D\uDE00" + "y".repeat(20) + "\", \"caption\": \"a\"}]", "results[0]",
                "(found a string \"" + "x".repeat(39) + "...\")");
        fails("[{\"image_id\": true, \"caption\": \"a\"}]", "results[0]", "must be an integer (found a boolean true)");
        fails("[{\"image_id\": 1.5, \"caption\": \"a\"}]", "results[0]", "must be an integer (found a number 1.5)");
        fails("[{\"image_id\": null, \"caption\": \"a\"}]", "results[0]", "must be an integer (found null)");
        fails("[{\"image_id\": 3, \"caption\": \"a\"}, {\"image_id\": 5, \"caption\": \"b\" ", "results[1]", "image_id 5", "malformed JSON", "line 1");
        fails("{\"image_id\": 3}", "must be a JSON array");
        fails("[]", "empty");
        fails("[{\"image_id\": 3, \"caption\": \"a\"}] x", "malformed JSON");
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoReferences.read(in("{\"images\": [{\"id\": 1}]}"), "refs.json"));
        assertTrue(e.getMessage().contains("missing \"annotations\""), e.getMessage());
        e = assertThrows(CocoFormatException.class, () -> CocoReferences.read(
                in("{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 1, \"caption\": [\"a\"]}]}"), "refs.json"));
        assertTrue(e.getMessage().contains("annotations[0]") && e.getMessage().contains("image_id 1"), e.getMessage());
    }

    @Test
    void imageWithoutReferencesIsAnError() {
        CocoReferences refs = CocoReferences.read(in("{\"images\": [{\"id\": 1}, {\"id\": 2}], \"annotations\": [{\"image_id\": 1, \"caption\": \"a\"}]}"), "refs.json");
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> org.capeval.metrics.core.EvaluationSet.of(refs,
                CocoResults.read(in("[{\"image_id\": 2, \"caption\": \"a\"}]"), "res.json")));
        assertTrue(e.getMessage().contains("no reference caption") && e.getMessage().contains("results[0]"), e.getMessage());
    }
}
