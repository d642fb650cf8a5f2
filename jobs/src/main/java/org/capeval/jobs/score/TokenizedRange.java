package org.capeval.jobs.score;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.core.EvalImage;

/**
 * One partition's tokenized images, as the Spark engine persists them between its passes (document
 * frequencies, scoring, SPICE): one object of flat arrays per partition, written by its own Kryo
 * code. Persisted as one {@link EvalImage} per image, Kryo wrote and read a class id, a reference
 * entry per caption and a reset per image; the profile at 1M images put that at about 8% of the
 * executors' samples.
 */
final class TokenizedRange implements Serializable, KryoSerializable {
    private static final long serialVersionUID = 1L;

    private long[] positions;
    private long[] imageIds;
    private String[] candidates;
    /** Image i's references are {@code references[referenceEnds[i - 1] .. referenceEnds[i])}. */
    private int[] referenceEnds;
    private String[] references;

    /** For Kryo. */
    TokenizedRange() {}

    /** The tokens of {@code images} (whose positions they keep), in order. */
    TokenizedRange(List<EvalImage> images, List<ImageTokens> tokens) {
        int n = images.size();
        positions = new long[n];
        imageIds = new long[n];
        candidates = new String[n];
        referenceEnds = new int[n];
        List<String> refs = new ArrayList<>(5 * n);
        for (int i = 0; i < n; i++) {
            ImageTokens t = tokens.get(i);
            positions[i] = images.get(i).position();
            imageIds[i] = t.imageId();
            candidates[i] = t.candidate();
            refs.addAll(Arrays.asList(t.references()));
            referenceEnds[i] = refs.size();
        }
        references = refs.toArray(new String[0]);
    }

    int size() {
        return positions.length;
    }

    ImageTokens tokens(int i) {
        return new ImageTokens(imageIds[i], candidates[i], references(i));
    }

    EvalImage image(int i) {
        return new EvalImage(positions[i], imageIds[i], candidates[i], references(i));
    }

    private String[] references(int i) {
        return Arrays.copyOfRange(references, i == 0 ? 0 : referenceEnds[i - 1], referenceEnds[i]);
    }

    /** The images' tokens of a partition's ranges, in order. */
    static Iterator<ImageTokens> tokens(Iterator<TokenizedRange> ranges) {
        return new Iterator<>() {
            private TokenizedRange range;
            private int next;

            @Override
            public boolean hasNext() {
                while ((range == null || next == range.size()) && ranges.hasNext()) {
                    range = ranges.next();
                    next = 0;
                }
                return range != null && next < range.size();
            }

            @Override
            public ImageTokens next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return range.tokens(next++);
            }
        };
    }

    @Override
    public void write(Kryo kryo, Output out) {
        int n = positions.length;
        out.writeVarInt(n, true);
        out.writeVarInt(references.length, true);
        for (int i = 0; i < n; i++) {
            out.writeVarLong(positions[i], true);
            out.writeVarLong(imageIds[i], false); // ids may be negative
            out.writeString(candidates[i]);
            out.writeVarInt(referenceEnds[i], true);
        }
        for (String r : references) {
            out.writeString(r);
        }
    }

    @Override
    public void read(Kryo kryo, Input in) {
        int n = in.readVarInt(true);
        positions = new long[n];
        imageIds = new long[n];
        candidates = new String[n];
        referenceEnds = new int[n];
        references = new String[in.readVarInt(true)];
        for (int i = 0; i < n; i++) {
            positions[i] = in.readVarLong(true);
            imageIds[i] = in.readVarLong(false);
            candidates[i] = in.readString();
            referenceEnds[i] = in.readVarInt(true);
        }
        for (int r = 0; r < references.length; r++) {
            references[r] = in.readString();
        }
    }
}
