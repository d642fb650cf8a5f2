package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardStoreTest {
    @TempDir Path dir;

    private static org.apache.hadoop.fs.Path version(LeaderboardStore store, String night, String content) throws IOException {
        org.apache.hadoop.fs.Path v = store.newVersion(night);
        for (String e : LeaderboardStore.ENTRIES) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(v, e);
            if (e.endsWith(".parquet")) store.fs().mkdirs(p);
            else try (OutputStream o = store.fs().create(p)) {
                o.write(content.getBytes(StandardCharsets.UTF_8));
            }
        }
        return v;
    }

    private static List<String> listing(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void publishingWritesOnePointerLastThenWholeCopiesAndKeepsTheLastVersions() throws Exception {
        Path board = dir.resolve("board");
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            assertNull(store.current());
            org.apache.hadoop.fs.Path v1 = version(store, "2026-11-01", "one");
            org.apache.hadoop.fs.Path empty = store.newVersion("2026-11-01");
            assertThrows(IOException.class, () -> store.publish(empty, "2026-11-01"), "an incomplete version is refused");
            store.publish(v1, "2026-11-01");
            assertEquals(v1, store.current());
            assertEquals("one", Files.readString(board.resolve("index.html")));
            for (int i = 2; i <= 5; i++) {
                Thread.sleep(2); // distinct version stamps
                store.publish(version(store, "2026-11-0" + i, "v" + i), "2026-11-0" + i);
            }
            assertEquals("v5", Files.readString(board.resolve("latest.json")));
            assertEquals("v5", Files.readString(board.resolve("history.csv")));
            try (var s = Files.list(board.resolve("versions"))) {
                assertEquals(LeaderboardStore.KEEP, s.count());
            }
            try (var s = Files.list(board.resolve("_board"))) {
                assertEquals(List.of("00000000000000000003.json", "00000000000000000004.json", "00000000000000000005.json"),
                        s.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
        try (Stream<Path> s = Files.walk(board)) {
            assertTrue(s.noneMatch(Files::isSymbolicLink), "no symbolic links");
        }
        assertEquals(List.of("", "_board", "_board/00000000000000000003.json", "_board/00000000000000000004.json",
                "_board/00000000000000000005.json", "history.csv", "index.html", "latest.json"),
                listing(board).stream().filter(p -> !p.startsWith("versions")).toList(), "no lock, no temporary files");
    }

    @Test
    void readersSkipAPointerThatIsNotComplete() throws Exception {
        Path board = dir.resolve("board");
        org.apache.hadoop.fs.Path v1;
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            v1 = version(store, "2026-11-01", "one");
            store.publish(v1, "2026-11-01");
        }
        Files.writeString(board.resolve("_board/00000000000000000002.json"), "{\"vers"); // a torn write
        assertEquals(v1, LeaderboardStore.current(board.toUri().toString(), new org.apache.hadoop.conf.Configuration()));
    }

    @Test
    void twoRunsCannotShareADirectoryAndAFailedOpenLeavesTheTargetAsFound() throws Exception {
        Path board = dir.resolve("board");
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            IOException e = assertThrows(IOException.class, () -> LeaderboardStore.open(board));
            assertTrue(e.getMessage().contains("another leaderboard run holds"), e.getMessage());
            assertTrue(e.getMessage().contains(board.toUri().getPath()), e.getMessage());
        }
        assertEquals(List.of(), listing(board), "a run that never published removes the directory it created");
        // a foreign directory: refused before anything is written
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("index.html"), "someone's page");
        IOException e = assertThrows(IOException.class, () -> LeaderboardStore.open(other));
        assertTrue(e.getMessage().contains("not part of a capeval leaderboard"), e.getMessage());
        assertEquals(List.of("", "index.html"), listing(other));
        assertEquals("someone's page", Files.readString(other.resolve("index.html")));
    }

    @Test
    void aRunThatDoesNotPublishRemovesItsVersionAndLockAndKeepsTheBoard() throws Exception {
        Path board = dir.resolve("board");
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            store.publish(version(store, "2026-11-01", "one"), "2026-11-01");
        }
        List<String> before = listing(board);
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            version(store, "2026-11-02", "two"); // then the night fails
        }
        assertEquals(before, listing(board));
    }

    @Test
    void aLockLeftByADeadProcessOnThisHostIsTakenOver() throws Exception {
        Path board = dir.resolve("board");
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            store.publish(version(store, "2026-11-01", "one"), "2026-11-01");
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(board.resolve("_lock"), "{\"host\":\"" + java.net.InetAddress.getLocalHost().getHostName()
                + "\",\"pid\":" + gone.pid() + ",\"started\":\"2026-11-01T00:00:00Z\"}");
        try (LeaderboardStore store = LeaderboardStore.open(board)) {
            store.publish(version(store, "2026-11-02", "two"), "2026-11-02");
        }
        assertEquals("two", Files.readString(board.resolve("index.html")));
        assertFalse(Files.exists(board.resolve("_lock")));
    }
}
