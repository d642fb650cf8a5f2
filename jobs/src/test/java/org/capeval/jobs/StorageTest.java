package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.api.Test;

/** The store refusals {@link Storage} turns into one line, as the file systems raise them (the chains are theirs). */
class StorageTest {
    private static final String WHAT = "--refs s3a://b/refs.json";

    @Test
    void missingCredentialsWinOverTheAccessDeniedS3aWrapsThemIn() {
        // s3a: AccessDeniedException("s3a://...: ...NoAuthWithAWSException: ...") caused by the NoAuthWithAWSException
        NoAuthWithAWSException noAuth = new NoAuthWithAWSException(
                "No AWS Credentials provided by SimpleAWSCredentialsProvider : software.amazon.awssdk.core.exception.SdkClientException: Unable to load");
        AccessDeniedException denied = new AccessDeniedException("s3a://b/refs.json: " + noAuth);
        denied.initCause(noAuth);
        RuntimeException f = Storage.failure(WHAT, denied);
        assertInstanceOf(Storage.Refused.class, f);
        assertEquals(WHAT + ": no credentials for the store (No AWS Credentials provided by SimpleAWSCredentialsProvider);"
                + " give them as conf/spark-s3.conf shows", f.getMessage());
        assertSame(f, JobFailure.badInput(f), "bad input: exit 2");
    }

    @Test
    void permissionDeniedOnS3AndOnHdfs() {
        RuntimeException s3 = Storage.failure(WHAT, new IOException("writing", new AccessDeniedException("s3a://b/out: 403 Forbidden")));
        assertEquals(WHAT + ": permission denied (s3a://b/out: 403 Forbidden)", s3.getMessage());
        RuntimeException remote = Storage.failure(WHAT, new RemoteException(AccessControlException.class.getName(),
                "Permission denied: user=a, access=WRITE, inode=\"/locked\":root:supergroup:dr-xr-xr-x"));
        assertInstanceOf(Storage.Refused.class, remote);
        assertEquals(WHAT + ": permission denied (Permission denied: user=a, access=WRITE, inode=\"/locked\":root:supergroup:dr-xr-xr-x)",
                remote.getMessage());
    }

    @Test
    void anUnreachableStoreNamesTheHostAndPortOnce() {
        // the SDK's chain: s3a's ConnectException > the HTTP client's (with host:port) > the socket's
        ConnectException socket = new ConnectException("Connection refused");
        ConnectException client = new ConnectException("Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused");
        client.initCause(socket);
        ConnectException s3a = new ConnectException("getFileStatus on s3a://b/refs.json: SdkClientException: Unable to execute HTTP request: "
                + "Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused");
        s3a.initCause(client);
        RuntimeException f = Storage.failure(WHAT, s3a);
        assertInstanceOf(JobFailure.Reported.class, f);
        assertEquals(WHAT + ": cannot reach its file system (Connect to 127.0.0.1:1 [/127.0.0.1] failed: Connection refused)", f.getMessage());
        assertNull(JobFailure.badInput(f), "not bad input: exit 1");
        // HDFS: Hadoop's wrapped message, without its wiki link
        ConnectException hdfs = new ConnectException("Call From h/127.0.0.1 to 127.0.0.1:1 failed on connection exception: "
                + "java.net.ConnectException: Connection refused; For more details see:  http://wiki.apache.org/hadoop/ConnectionRefused");
        hdfs.initCause(new ConnectException("Connection refused"));
        assertEquals("--refs hdfs://127.0.0.1:1/x: cannot reach its file system (Call From h/127.0.0.1 to 127.0.0.1:1 failed on connection "
                + "exception: java.net.ConnectException: Connection refused)", Storage.failure("--refs hdfs://127.0.0.1:1/x", hdfs).getMessage());
    }

    @Test
    void aWriteRefusedUncheckedIsReportedAsTheRefusal() {
        // HDFS's refusal as the score job's staging met it: an AccessControlException inside an UncheckedIOException
        Storage.Refused f = assertThrows(Storage.Refused.class, () -> JobFailure.writing("--out hdfs://nn/locked/out", () -> {
            throw new java.io.UncheckedIOException(new AccessControlException("Permission denied: user=a, access=WRITE\n"
                    + "\tat org.apache.hadoop.hdfs.server.namenode.FSPermissionChecker.check(FSPermissionChecker.java:663)"));
        }));
        assertEquals("--out hdfs://nn/locked/out: permission denied (Permission denied: user=a, access=WRITE)", f.getMessage());
        IllegalArgumentException bad = new IllegalArgumentException("--refs x: no such file");
        assertSame(bad, assertThrows(IllegalArgumentException.class, () -> JobFailure.writing("--out o", () -> {
            throw bad;
        })));
    }

    @Test
    void otherFailuresPassUnchanged() throws IOException {
        assertNull(Storage.failure(WHAT, new IOException("No space left on device")));
        FileNotFoundException missing = new FileNotFoundException("s3a://b/refs.json");
        assertSame(missing, assertThrows(FileNotFoundException.class, () -> Storage.at(WHAT, () -> {
            throw missing;
        })));
        assertEquals("ok", Storage.at(WHAT, () -> "ok"));
    }

    @Test
    void objectStoresAreTheStoresWithoutAtomicRename() {
        for (String s : new String[] {"s3a", "S3A", "gs", "abfs"}) assertEquals(true, Storage.isObjectStoreScheme(s), s);
        for (String s : new String[] {"hdfs", "file", "viewfs", null}) assertEquals(false, Storage.isObjectStoreScheme(s), String.valueOf(s));
    }

    /** java.nio sets what Hadoop's chmod process sets: on created files and directories, and bit by bit. */
    @Test
    void posixLocalFileSystemSetsHadoopsPermissions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        try (Storage.PosixLocalFileSystem ours = new Storage.PosixLocalFileSystem();
                org.apache.hadoop.fs.LocalFileSystem hadoops = new org.apache.hadoop.fs.LocalFileSystem()) {
            ours.initialize(java.net.URI.create("file:///"), conf);
            hadoops.initialize(java.net.URI.create("file:///"), conf);
            for (String side : new String[] {"ours", "hadoops"}) {
                org.apache.hadoop.fs.FileSystem fs = side.equals("ours") ? ours : hadoops;
                org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dir.resolve(side).resolve("a/b").toUri());
                fs.mkdirs(d);
                fs.create(new org.apache.hadoop.fs.Path(d, "f")).close();
            }
            for (String name : new String[] {"a", "a/b", "a/b/f", "a/b/.f.crc"}) {
                assertEquals(permissions(dir.resolve("hadoops").resolve(name)), permissions(dir.resolve("ours").resolve(name)), name);
            }
            for (int bit = 0; bit < 9; bit++) {
                for (String side : new String[] {"ours", "hadoops"}) {
                    org.apache.hadoop.fs.FileSystem fs = side.equals("ours") ? ours : hadoops;
                    fs.setPermission(new org.apache.hadoop.fs.Path(dir.resolve(side).resolve("a/b/f").toUri()),
                            new org.apache.hadoop.fs.permission.FsPermission((short) (1 << bit)));
                }
                assertEquals(permissions(dir.resolve("hadoops/a/b/f")), permissions(dir.resolve("ours/a/b/f")), "bit " + bit);
                assertEquals(1, java.nio.file.Files.getPosixFilePermissions(dir.resolve("ours/a/b/f")).size());
            }
            assertThrows(IOException.class, () -> ours.setPermission(new org.apache.hadoop.fs.Path(dir.resolve("missing").toUri()),
                    new org.apache.hadoop.fs.permission.FsPermission((short) 0644)));
        }
    }

    /** Once installed, every Hadoop configuration of the JVM, however made, gives it for file: paths; a submitter's choice wins. */
    @Test
    void installedItIsTheLocalFileSystemOfEveryConfiguration() throws IOException {
        Storage.PosixLocalFileSystem.install();
        try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(java.net.URI.create("file:///"),
                new org.apache.hadoop.conf.Configuration())) {
            assertInstanceOf(Storage.PosixLocalFileSystem.class, fs);
        }
        org.apache.hadoop.conf.Configuration theirs = new org.apache.hadoop.conf.Configuration();
        theirs.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName()); // as sc.hadoopConfiguration() sets spark.hadoop.*
        try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(java.net.URI.create("file:///"), theirs)) {
            assertEquals(org.apache.hadoop.fs.RawLocalFileSystem.class, fs.getClass());
        }
        // install() leaves it to the submitter's spark.hadoop.fs.file.impl (no core-site.xml in the tests)
        assertFalse(Storage.PosixLocalFileSystem.anotherNamed());
        try {
            System.setProperty("spark.hadoop.fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
            assertTrue(Storage.PosixLocalFileSystem.anotherNamed());
        } finally {
            System.clearProperty("spark.hadoop.fs.file.impl");
        }
    }

    /** A core-site.xml on the class path decides which of the jobs' Hadoop defaults give way; without one, none. */
    @Test
    void theClassPathsCoreSiteSetsWhatItNames(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        assertFalse(Storage.coreSiteSets("hadoop.tmp.dir"), "no core-site.xml in the tests");
        java.nio.file.Files.writeString(dir.resolve("core-site.xml"), "<?xml version=\"1.0\"?><configuration>"
                + "<property><name>hadoop.tmp.dir</name><value>/scratch</value></property>"
                + "<property><name>fs.file.impl</name><value> </value></property></configuration>");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (java.net.URLClassLoader site = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, before)) {
            thread.setContextClassLoader(site);
            assertTrue(Storage.coreSiteSets("hadoop.tmp.dir"));
            assertFalse(Storage.coreSiteSets("fs.file.impl"), "blank: not set");
            assertFalse(Storage.coreSiteSets("fs.defaultFS"), "core-default.xml's is not the site's");
            java.nio.file.Files.writeString(dir.resolve("core-site.xml"), "<configuration><property>");
            assertTrue(Storage.coreSiteSets("hadoop.tmp.dir"), "unparsable: left to Hadoop");
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static String permissions(java.nio.file.Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }
}
