package org.capeval.jobs;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local files under the scheme {@code remote:} ({@code remote:///tmp/x} is /tmp/x), which the jobs
 * take for another store than the local files ({@link InputFiles#localPath} is null for it), so
 * a test reaches their remote paths without a cluster. Registered for Hadoop in
 * META-INF/services (test resources), so Spark's tasks find it too. Counts the files opened.
 */
public final class RemoteLocalFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "remote";
    private static final URI ROOT = URI.create(SCHEME + ":///");
    private static final Map<String, AtomicInteger> OPENED = new ConcurrentHashMap<>();

    /** {@code local} as a path of this file system. */
    public static String of(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    /** How many times the local file {@code local} was opened through this file system. */
    public static int opened(java.nio.file.Path local) {
        AtomicInteger n = OPENED.get(local.toAbsolutePath().toString());
        return n == null ? 0 : n.get();
    }

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        OPENED.computeIfAbsent(makeQualified(f).toUri().getPath(), k -> new AtomicInteger()).incrementAndGet();
        return super.open(f, bufferSize);
    }
}
