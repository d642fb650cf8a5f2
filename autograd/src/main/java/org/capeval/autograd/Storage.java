package org.capeval.autograd;

import java.io.Serializable;

/** Flat row-major values plus the version counter that tensors sharing them (detach) also share. */
final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;
    double[] data;
    transient int version;

    Storage(double[] data) {
        this.data = data;
    }
}
