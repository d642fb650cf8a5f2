package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderboardStoreTest {
    @TempDir Path dir;

    private static Path version(LeaderboardStore store, String night, String content) throws IOException {
        Path v = store.newVersion(night);
        for (String e : LeaderboardStore.ENTRIES) {
            if (e.endsWith(".parquet")) Files.createDirectories(v.resolve(e));
            else Files.writeString(v.resolve(e), content);
        }
        LeaderboardStore.markComplete(v);
        return v;
    }

    @Test
    void publishingSwitchesEveryEntryAtOnceAndKeepsTheLastVersions() throws Exception {
        try (LeaderboardStore store = new LeaderboardStore(dir)) {
            assertNull(store.current());
            Path v1 = version(store, "2026-11-01", "one");
            assertThrows(IOException.class, () -> store.publish(store.newVersion("2026-11-01")), "an incomplete version is refused");
            store.publish(v1);
            assertEquals(v1, store.current());
            assertEquals("one", Files.readString(dir.resolve("index.html")));
            for (int i = 2; i <= 5; i++) {
                Thread.sleep(2); // distinct version stamps
                store.publish(version(store, "2026-11-0" + i, "v" + i));
            }
            assertEquals("v5", Files.readString(dir.resolve("latest.json")));
            try (var s = Files.list(dir.resolve("versions"))) {
                assertEquals(LeaderboardStore.KEEP, s.count());
            }
            assertTrue(Files.isSymbolicLink(dir.resolve("current")));
        }
    }

    @Test
    void twoRunsCannotShareADirectoryAndForeignFilesAreNotReplaced() throws Exception {
        try (LeaderboardStore store = new LeaderboardStore(dir)) {
            IOException e = assertThrows(IOException.class, () -> new LeaderboardStore(dir));
            assertTrue(e.getMessage().contains("another leaderboard run"), e.getMessage());
        }
        new LeaderboardStore(dir).close(); // the lock is released
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("index.html"), "someone's page");
        IOException e = assertThrows(IOException.class, () -> new LeaderboardStore(other));
        assertTrue(e.getMessage().contains("is not a leaderboard link"), e.getMessage());
        assertEquals("someone's page", Files.readString(other.resolve("index.html")));
    }
}
