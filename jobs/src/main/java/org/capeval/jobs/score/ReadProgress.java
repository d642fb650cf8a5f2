package org.capeval.jobs.score;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.capeval.metrics.Progress;

/** An input file's bytes counted into a progress phase as they are read (before decompression). */
final class ReadProgress extends FilterInputStream {
    private final Progress.Phase phase;

    ReadProgress(InputStream in, Progress.Phase phase) {
        super(in);
        this.phase = phase;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            phase.add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            phase.add(n);
        }
        return n;
    }
}
