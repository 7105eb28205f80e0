package org.licensebackup.karaf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end, bounded in time, with what it reads from a string and what it prints kept whole. */
final class Processes {

    /** What a program printed (its output and its errors, in order) and its exit code. */
    record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /**
     * @param folder where its input and output are kept while it runs
     * @throws IllegalStateException when it did not end within {@code patience} (it is ended then)
     */
    static Result run(ProcessBuilder builder, String input, Path folder, Duration patience)
            throws IOException, InterruptedException {
        Path in = Files.createTempFile(folder, "in", ".txt");
        Path out = Files.createTempFile(folder, "out", ".txt");
        try {
            Files.writeString(in, input);
            Process process = builder.redirectErrorStream(true).redirectInput(in.toFile()).redirectOutput(out.toFile()).start();
            try {
                if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException(String.join(" ", builder.command()) + " did not end within " + patience
                            + "; it printed:\n" + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
