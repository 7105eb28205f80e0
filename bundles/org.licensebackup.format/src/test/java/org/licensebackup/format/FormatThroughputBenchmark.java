package org.licensebackup.format;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Random;

/**
 * Writes and reads a backup of N records of about 1 KiB and compares the write with writing the
 * same number of bytes durably (64 KiB writes, then fsync) in the same run. Not a test: run it by
 * hand, with -Xmx64m to check that the heap stays flat.
 *
 * <pre>arguments: [records (default 1000000)] [directory (default a new temporary one)]</pre>
 */
public final class FormatThroughputBenchmark {

    private static final int DISTINCT_RECORDS = 1024;

    private FormatThroughputBenchmark() {
    }

    public static void main(String[] arguments) throws IOException {
        int recordCount = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 1_000_000;
        Path directory = arguments.length > 1 ? Files.createDirectories(Path.of(arguments[1]))
                : Files.createTempDirectory("format-benchmark");
        BackupFixture fixture = new BackupFixture();
        // records are made up front and cycled, so the harness's allocations do not count
        BackupRecord[] records = BackupFixture.records(42, licenseLengths()).toArray(new BackupRecord[0]);
        Path backup = directory.resolve("benchmark.lbk");
        Path raw = directory.resolve("raw.bin");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            long start = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            try (BackupWriter writer = fixture.writer(backup, true)) {
                for (int i = 0; i < recordCount; i++) {
                    writer.write(records[i % DISTINCT_RECORDS]);
                }
                writer.commit();
            }
            long writeNanos = System.nanoTime() - start;
            long writeCpuNanos = threads.getCurrentThreadCpuTime() - startCpu;
            long fileBytes = Files.size(backup);

            start = System.nanoTime();
            writeRaw(raw, fileBytes);
            long rawNanos = System.nanoTime() - start;

            start = System.nanoTime();
            startCpu = threads.getCurrentThreadCpuTime();
            long read = 0;
            try (BackupReader reader = BackupReader.open(backup, fixture.unwrapper)) {
                for (Optional<BackupRecord> record = reader.next(); record.isPresent(); record = reader.next()) {
                    read++;
                }
            }
            long readNanos = System.nanoTime() - start;
            long readCpuNanos = threads.getCurrentThreadCpuTime() - startCpu;
            if (read != recordCount) {
                throw new IllegalStateException("read " + read + " of " + recordCount + " records");
            }

            Runtime runtime = Runtime.getRuntime();
            System.out.printf("records: %,d, file: %,d bytes, max heap: %,d MiB%n", recordCount, fileBytes, runtime.maxMemory() >> 20);
            System.out.printf("raw durable write: %8.1f MB/s  (%,d ms)%n", megabytesPerSecond(fileBytes, rawNanos), rawNanos / 1_000_000);
            System.out.printf("backup write:      %8.1f MB/s  (%,d ms, %.2fx the raw write; CPU %,d ms = %.1f MB/s)%n",
                    megabytesPerSecond(fileBytes, writeNanos), writeNanos / 1_000_000, (double) writeNanos / rawNanos,
                    writeCpuNanos / 1_000_000, megabytesPerSecond(fileBytes, writeCpuNanos));
            System.out.printf("backup read:       %8.1f MB/s  (%,d ms; CPU %,d ms = %.1f MB/s)%n", megabytesPerSecond(fileBytes, readNanos),
                    readNanos / 1_000_000, readCpuNanos / 1_000_000, megabytesPerSecond(fileBytes, readCpuNanos));
        } finally {
            Files.deleteIfExists(backup);
            Files.deleteIfExists(raw);
        }
    }

    private static int[] licenseLengths() {
        Random random = new Random(7);
        int[] lengths = new int[DISTINCT_RECORDS];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 900 + random.nextInt(250);
        }
        return lengths;
    }

    private static void writeRaw(Path file, long bytes) throws IOException {
        byte[] block = new byte[Format.CHUNK_CIPHERTEXT_SIZE];
        new Random(1).nextBytes(block);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE))) {
            for (long written = 0; written < bytes; ) {
                buffer.clear().limit((int) Math.min(block.length, bytes - written));
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
            channel.force(true);
        }
    }

    private static double megabytesPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }
}
