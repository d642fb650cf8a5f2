package org.capeval.jobs.score;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The staging format between the driver's streaming JSON read and the executors: binary records
 * {@code kind (1 byte), position (4), image id (8), caption length (4), caption (UTF-8)}, integers
 * big-endian. A caption is any string, so nothing needs escaping; the text lines used before
 * (tab-separated, captions escaped) cost the driver's writing thread about 40% of its time in
 * escaping and concatenating, and the tasks as much again in splitting and parsing the lines
 * (profile of a 200k-image run). The buffers are plain arrays: {@code DataInputStream} reads an
 * integer as four synchronized calls of its buffered stream.
 */
final class CaptionRecords {
    private CaptionRecords() {}

    private static final int HEADER = 1 + 4 + 8 + 4;
    private static final int BUFFER = 1 << 16;

    /** Writes records to a stream; {@link #close} flushes and closes it. */
    static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private byte[] buf = new byte[BUFFER];
        private int n;

        Writer(OutputStream out) {
            this.out = out;
        }

        void write(char kind, int position, long imageId, String caption) throws IOException {
            byte[] text = caption.getBytes(StandardCharsets.UTF_8);
            int size = HEADER + text.length;
            if (n + size > buf.length) {
                flush();
                if (size > buf.length) {
                    buf = new byte[size];
                }
            }
            buf[n++] = (byte) kind;
            n = putInt(buf, n, position);
            n = putInt(buf, n, (int) (imageId >>> 32));
            n = putInt(buf, n, (int) imageId);
            n = putInt(buf, n, text.length);
            System.arraycopy(text, 0, buf, n, text.length);
            n += text.length;
        }

        private void flush() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        @Override
        public void close() throws IOException {
            try (OutputStream o = out) {
                flush();
            }
        }

        private static int putInt(byte[] b, int at, int v) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
            return at + 4;
        }
    }

    /** Reads the records of a stream in order; the fields of the current record after {@link #next}. */
    static final class Reader implements AutoCloseable {
        private final InputStream in;
        private byte[] buf = new byte[BUFFER];
        private int at;
        private int end;
        char kind;
        int position;
        long imageId;
        String caption;

        Reader(InputStream in) {
            this.in = in;
        }

        /** Moves to the next record; false at the end of the stream (a torn record is an {@link EOFException}). */
        boolean next() throws IOException {
            if (!fill(1)) {
                return false;
            }
            if (!fill(HEADER)) {
                throw new EOFException("staged record cut short");
            }
            kind = (char) (buf[at] & 0xff);
            position = getInt(at + 1);
            imageId = ((long) getInt(at + 5) << 32) | (getInt(at + 9) & 0xffffffffL);
            int length = getInt(at + 13);
            at += HEADER;
            if (length < 0 || !fill(length)) {
                throw new EOFException("staged caption cut short");
            }
            caption = new String(buf, at, length, StandardCharsets.UTF_8);
            at += length;
            return true;
        }

        /** At least {@code size} unread bytes in the buffer; false when the stream ends first. */
        private boolean fill(int size) throws IOException {
            if (end - at >= size) {
                return true;
            }
            if (size > buf.length) {
                byte[] bigger = new byte[size];
                System.arraycopy(buf, at, bigger, 0, end - at);
                buf = bigger;
            } else {
                System.arraycopy(buf, at, buf, 0, end - at);
            }
            end -= at;
            at = 0;
            while (end < size) {
                int r = in.read(buf, end, buf.length - end);
                if (r < 0) {
                    return false;
                }
                end += r;
            }
            return true;
        }

        private int getInt(int i) {
            return (buf[i] & 0xff) << 24 | (buf[i + 1] & 0xff) << 16 | (buf[i + 2] & 0xff) << 8 | (buf[i + 3] & 0xff);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
