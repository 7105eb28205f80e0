package org.licensebackup.testing.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @TempDir
    Path build;

    @Test
    void twoTestRunsThatUnpackAtOnceLeaveOneWholeCopy() throws Exception {
        Path destination = build.resolve("postgres-" + PostgresBinaries.VERSION);
        List<CompletableFuture<Path>> unpacking = Stream.of(1, 2).map(run -> CompletableFuture.supplyAsync(() -> {
            try {
                return PostgresBinaries.unpackOnce(destination);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        })).toList();

        for (CompletableFuture<Path> run : unpacking) {
            assertEquals(destination, run.join());
        }
        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            assertTrue(Files.isExecutable(destination.resolve("bin").resolve(program)), program);
        }
        assertTrue(Files.isSymbolicLink(destination.resolve("lib/libpq.so")), "symbolic links stay links");
        try (Stream<Path> left = Files.list(build)) {
            assertEquals(List.of(destination), left.toList(), "no half-unpacked folder stays behind");
        }
    }
}
