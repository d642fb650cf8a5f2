package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CaptionRecordsTest {
    private record Rec(char kind, int position, long imageId, String caption) {}

    private static byte[] write(List<Rec> records) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CaptionRecords.Writer w = new CaptionRecords.Writer(bytes)) {
            for (Rec r : records) {
                w.write(r.kind, r.position, r.imageId, r.caption);
            }
        }
        return bytes.toByteArray();
    }

    /** Reads through a stream that hands out at most {@code chunk} bytes per read, as a network stream may. */
    private static List<Rec> read(byte[] bytes, int chunk) throws IOException {
        List<Rec> out = new ArrayList<>();
        try (CaptionRecords.Reader r = new CaptionRecords.Reader(new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        })) {
            while (r.next()) {
                out.add(new Rec(r.kind, r.position, r.imageId, r.caption));
            }
        }
        return out;
    }

    @Test
    void everyCaptionComesBackAsWritten() throws IOException {
        char[] big = new char[200_000]; // larger than the buffers
        Arrays.fill(big, 'é');
        List<Rec> records = new ArrayList<>(List.of(
                new Rec('R', 0, 0, ""),
                new Rec('C', 7, -42, "tab\there, newline\nthere, CR\r, backslash \\t \\n"),
                new Rec('R', Integer.MAX_VALUE, Long.MIN_VALUE, "A man riding a wave \uD83C\uDFC4 on top of a surfboard."),
                new Rec('C', 3, Long.MAX_VALUE, new String(big)),
                new Rec('R', 1, 1L << 40, "日本語のキャプション")));
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            char[] text = new char[random.nextInt(80)];
            for (int j = 0; j < text.length; j++) {
                text[j] = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0xD800));
            }
            records.add(new Rec(random.nextBoolean() ? 'R' : 'C', random.nextInt(1_000_000), random.nextLong(), new String(text)));
        }
        byte[] bytes = write(records);
        assertEquals(records, read(bytes, Integer.MAX_VALUE));
        assertEquals(records, read(bytes, 7));
    }

    @Test
    void aTornRecordIsAnErrorNotAnEnd() throws IOException {
        byte[] bytes = write(List.of(new Rec('R', 1, 2, "a caption"), new Rec('C', 3, 4, "another caption")));
        assertEquals(2, read(bytes, Integer.MAX_VALUE).size());
        int first = 1 + 4 + 8 + 4 + "a caption".length(); // the first record's bytes
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] torn = Arrays.copyOf(bytes, cut);
            if (cut == first) {
                assertEquals(1, read(torn, Integer.MAX_VALUE).size());
            } else {
                assertThrows(EOFException.class, () -> read(torn, Integer.MAX_VALUE), "cut at byte " + cut);
            }
        }
        assertFalse(new CaptionRecords.Reader(new ByteArrayInputStream(new byte[0])).next());
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksAsInUtf8Text() throws IOException {
        List<Rec> back = read(write(List.of(new Rec('R', 0, 0, "a\uD800b"))), Integer.MAX_VALUE);
        assertArrayEquals("a?b".toCharArray(), back.get(0).caption.toCharArray());
    }
}
