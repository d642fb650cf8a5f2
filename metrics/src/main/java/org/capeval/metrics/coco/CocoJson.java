package org.capeval.metrics.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streaming readers for COCO caption files (Jackson's token stream: memory independent of the file
 * size). Each record is handed to a visitor as it is read, so a caller can keep it, validate it or
 * forward it. Checks what COCO's loaders would trip on and names file, record and image id.
 */
public final class CocoJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private CocoJson() {}

    /** Receives the content of an annotation file, in file order. */
    public interface AnnotationVisitor {
        /** {@code images[index]} has id {@code imageId}. */
        void image(long index, long imageId);

        /** {@code annotations[index]} is a caption of image {@code imageId}. */
        void annotation(long index, long imageId, String caption);
    }

    /** Receives the records of a results file, in file order. */
    @FunctionalInterface
    public interface ResultVisitor {
        /** {@code results[index]} is the candidate caption for image {@code imageId}. */
        void result(long index, long imageId, String caption);
    }

    /**
     * Opens a local file for reading, decompressing gzip (detected by its magic bytes, so the
     * {@code .json.gz} name is not required).
     */
    public static InputStream open(Path file) throws IOException {
        return maybeGunzip(Files.newInputStream(file));
    }

    /** Wraps a stream, decompressing it when it starts with the gzip magic bytes. */
    public static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read(), b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (EOFException | ZipException e) {
                // a truncated or corrupt gzip header: reported by the reader that meets it, as bad input
                in.close();
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw e;
                    }
                };
            }
        }
        return in;
    }

    /**
     * Reads an annotation file {@code {"images": [{"id"}...], "annotations": [{"image_id",
     * "caption"}...], ...}}; other fields are skipped. The stream is closed.
     */
    public static void readAnnotations(InputStream in, String file, AnnotationVisitor visitor) {
        Position pos = new Position();
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CocoFormatException(file, null, null,
                        "an annotation file must be a JSON object with \"images\" and \"annotations\"");
            }
            boolean images = false, annotations = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("images")) {
                    images = true;
                    readArray(p, t, file, "images", pos, (index) -> {
                        Long id = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("id")) {
                                id = readId(p, v, file, pos.record(), "id");
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (id == null) {
                            throw new CocoFormatException(file, pos.record(), null, "missing field \"id\"");
                        }
                        visitor.image(index, id);
                    });
                } else if (field.equals("annotations")) {
                    annotations = true;
                    readArray(p, t, file, "annotations", pos, (index) -> {
                        String caption = readCaptionRecord(p, file, pos);
                        visitor.annotation(index, pos.imageId, caption);
                    });
                } else {
                    p.skipChildren();
                }
                pos.clear();
            }
            expectEnd(p, file);
            if (!images || !annotations) {
                throw new CocoFormatException(file, null, null, "an annotation file needs both \"images\" and \"annotations\" (missing \""
                        + (images ? "annotations" : "images") + "\")");
            }
        } catch (JsonProcessingException e) {
            throw malformed(file, pos, e);
        } catch (IOException e) {
            throw unreadable(file, pos, e);
        }
    }

    /**
     * Reads a results file {@code [{"image_id", "caption"}, ...]} (other fields skipped). The
     * stream is closed.
     */
    public static void readResults(InputStream in, String file, ResultVisitor visitor) {
        Position pos = new Position();
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_ARRAY) {
                throw new CocoFormatException(file, null, null,
                        "a results file must be a JSON array of {\"image_id\", \"caption\"} objects (COCO loadRes: 'results in not an array of objects')");
            }
            readArray(p, t, file, "results", pos, (index) -> {
                String caption = readCaptionRecord(p, file, pos);
                visitor.result(index, pos.imageId, caption);
            });
            pos.clear();
            expectEnd(p, file);
        } catch (JsonProcessingException e) {
            throw malformed(file, pos, e);
        } catch (IOException e) {
            throw unreadable(file, pos, e);
        }
    }

    private interface RecordReader {
        void read(long index) throws IOException;
    }

    /** Where the parser is, for error messages. */
    private static final class Position {
        String array;
        long index = -1;
        Long imageId;

        /** The record being read, or null between records (before an array's first one: no {@code results[-1]}). */
        String record() {
            return array == null || index < 0 ? null : array + "[" + index + "]";
        }

        void clear() {
            array = null;
            index = -1;
            imageId = null;
        }
    }

    private static void readArray(JsonParser p, JsonToken t, String file, String name, Position pos, RecordReader reader)
            throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new CocoFormatException(file, null, null, "\"" + name + "\" must be an array (found " + describe(t) + ")");
        }
        long index = 0;
        pos.array = name;
        while (true) {
            pos.index = index; // an error before the next record's first token is named after that record
            pos.imageId = null;
            if ((t = p.nextToken()) == JsonToken.END_ARRAY) {
                break;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new CocoFormatException(file, pos.record(), null, "expected an object, found " + describe(t));
            }
            reader.read(index);
            index++;
        }
    }

    private static long readId(JsonParser p, JsonToken v, String file, String record, String field) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new CocoFormatException(file, record, null, "\"" + field + "\" " + p.getText() + " is out of range");
            }
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) { // Python compares 42.0 == 42, so COCO accepts it
            double d = p.getDoubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
        }
        throw new CocoFormatException(file, record, null,
                "\"" + field + "\" must be an integer (found " + describeValue(p, v) + ")");
    }

    /** A scalar as its type and JSON text ({@code a string "42"}, {@code a number 1.5}), cut when long. */
    private static String describeValue(JsonParser p, JsonToken v) throws IOException {
        if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
            return describe(v);
        }
        String text = p.getText();
        int end = text.length() > 40 && Character.isHighSurrogate(text.charAt(39)) ? 39 : 40; // no half character
        String cut = text.length() > 40 ? text.substring(0, end) + "..." : text;
        return describe(v) + " " + (v == JsonToken.VALUE_STRING
                ? "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(cut)) + "\"" : cut);
    }

    private static String readCaption(JsonParser p, JsonToken v, String file, Position pos) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new CocoFormatException(file, pos.record(), pos.imageId,
                    "\"caption\" must be a string (found " + describe(v) + ")");
        }
        return p.getText();
    }

    /**
     * Reads the fields of one {@code {"image_id", "caption"}} object (annotations and results alike;
     * others skipped) and returns the caption; the image id is left in {@code pos.imageId}.
     */
    private static String readCaptionRecord(JsonParser p, String file, Position pos) throws IOException {
        String caption = null;
        boolean hasCaption = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("image_id")) {
                pos.imageId = readId(p, v, file, pos.record(), "image_id");
            } else if (f.equals("caption")) {
                hasCaption = true;
                caption = readCaption(p, v, file, pos);
            } else {
                p.skipChildren();
            }
        }
        if (pos.imageId == null) {
            throw new CocoFormatException(file, pos.record(), null, "missing field \"image_id\"");
        }
        if (!hasCaption) {
            throw new CocoFormatException(file, pos.record(), pos.imageId, "missing field \"caption\"");
        }
        return caption;
    }

    private static void expectEnd(JsonParser p, String file) throws IOException {
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw new CocoFormatException(file, null, null, "unexpected content after the top-level JSON value ("
                    + describe(extra) + " at line " + p.currentLocation().getLineNr() + ")");
        }
    }

    private static CocoFormatException malformed(String file, Position pos, JsonProcessingException e) {
        return new CocoFormatException(file, pos.record(), pos.imageId, malformedJson(e), e);
    }

    // Jackson names a location inside its message as "[Source: ...; line: 1, column: 1]"; the
    // source is never shown (it would be "REDACTED" and a feature name)
    private static final Pattern EMBEDDED_LOCATION = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    /**
     * How a JSON syntax error reads in a one-line message, for every JSON file capeval reads
     * (COCO files, leaderboard metadata, train checkpoints): {@code malformed JSON at line L,
     * column C: } and Jackson's description, without its class name or source placeholders.
     */
    public static String malformedJson(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        what = EMBEDDED_LOCATION.matcher(what).replaceAll("line $1, column $2").replaceAll("\\s*\\R\\s*", " ");
        return "malformed JSON" + where + ": " + what;
    }

    /**
     * An I/O error while parsing. The stream's content is at fault when the gzip data is truncated
     * or corrupt ({@link EOFException}, {@link ZipException}) or the bytes are not text in a JSON
     * encoding ({@link CharConversionException}, from Jackson's UTF-32 detection): a
     * {@link CocoFormatException} naming the record being read when the data ran out. Anything else
     * (a failing disk or network) stays an I/O error, with the file and record in its message.
     */
    private static RuntimeException unreadable(String file, Position pos, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof EOFException || e instanceof ZipException) {
            return new CocoFormatException(file, pos.record(), pos.imageId, "truncated or corrupt gzip data (" + detail + ")"
                    + (pos.record() == null ? "" : "; the records before this one were read"), e);
        }
        if (e instanceof CharConversionException) {
            return new CocoFormatException(file, pos.record(), pos.imageId, "not JSON text in UTF-8, UTF-16 or UTF-32 (" + detail + ")", e);
        }
        return new UncheckedIOException(file + (pos.record() == null ? "" : ": " + pos.record()) + ": " + detail, e);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
