package org.capeval.autograd;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Flat row-major values plus the version counter that tensors sharing them (detach) also share.
 * The values are held as doubles, as floats (float32 tensors the user made, and float32 products
 * computed by single-precision BLAS), or both: each form is made from the other on first use and
 * kept, so a float32 input read by BLAS every pass is converted once. Both forms always hold the
 * same values; a write to the doubles drops the floats ({@link #wroteDoubles}).
 */
final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;
    private double[] data;
    private transient float[] floats;
    transient int version;
    /** Set once a second tensor uses this storage (a view, detach): its arrays are then never recycled. */
    transient boolean shared;

    Storage(double[] data) {
        this.data = data;
    }

    Storage(float[] floats) {
        this.floats = floats;
    }

    int length() {
        return data != null ? data.length : floats.length;
    }

    double[] doubles() {
        double[] d = data;
        if (d == null) {
            float[] f = floats;
            d = new double[f.length];
            for (int i = 0; i < d.length; i++) d[i] = f[i];
            data = d;
        }
        return d;
    }

    /** The values as floats: only meaningful for float32 storage (whose doubles are floats already). */
    float[] floats() {
        float[] f = floats;
        if (f == null) {
            double[] d = data;
            f = new float[d.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
            floats = f;
        }
        return f;
    }

    /** A copy holding the same forms (none shared). */
    Storage copy() {
        Storage s = data != null ? new Storage(data.clone()) : new Storage(floats.clone());
        if (data != null && floats != null) s.floats = floats.clone();
        return s;
    }

    /**
     * After writing into {@link #doubles()} of a float32 tensor: rounds the doubles to float and,
     * when there is a float form, rewrites it in the same pass instead of dropping it (a parameter an
     * optimizer updates is read as floats by the next product); bumps the version.
     */
    void wroteDoublesFloat32() {
        double[] d = data;
        float[] f = floats;
        if (f == null) {
            for (int i = 0; i < d.length; i++) d[i] = (float) d[i];
        } else {
            for (int i = 0; i < d.length; i++) {
                float v = (float) d[i];
                d[i] = v;
                f[i] = v;
            }
        }
        version++;
    }

    /** After writing into {@link #floats()} (float32 only): drops the stale doubles and bumps the version. */
    void wroteFloats() {
        data = null;
        version++;
    }

    /** After writing into {@link #doubles()}: drops the stale floats and bumps the version. */
    void wroteDoubles() {
        floats = null;
        version++;
    }

    /** Hands the doubles to {@link Buffers} for reuse; this storage is unusable afterwards (any read fails loudly). */
    void recycle() {
        if (shared || (floats != null && data != null)) return; // one form may still be read through the other's conversion: keep both
        Buffers.give(data);
        Buffers.give(floats);
        data = null;
        floats = null;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        doubles(); // the serialized form is the doubles
        out.defaultWriteObject();
    }
}
