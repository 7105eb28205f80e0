package org.licensebackup.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One launcher at a time in a home: an exclusive lock on {@value #FILE_NAME} in the home, taken
 * before the framework starts and held until the process ends. The file holds the PID of the
 * process that holds the lock, so that another one can say who has the home. The operating system
 * releases the lock when the process dies, even by {@code kill -9}: a lock file left behind by a
 * crash never locks anybody out.
 */
final class HomeLock implements AutoCloseable {

    static final String FILE_NAME = "launcher.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Makes the home if it is missing and locks it for this process.
     *
     * @throws LaunchException when the home is not a folder, cannot be made, or another process holds it
     */
    static HomeLock acquire(Path home) throws LaunchException {
        if (Files.exists(home) && !Files.isDirectory(home)) {
            throw new LaunchException("STORE_UNAVAILABLE: the home " + home + " is a file, not a folder:"
                    + " give --home a folder (a new one is made if missing)");
        }
        Path file = home.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(home);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LaunchException("STORE_UNAVAILABLE: cannot use the home " + home + ": " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                OptionalLong holder = holderOf(channel);
                channel.close();
                throw new LaunchException("STORE_UNAVAILABLE: the home " + home + " is in use by another process"
                        + (holder.isPresent() ? " (PID " + holder.getAsLong() + ")" : "")
                        + ": wait until it ends, or give another --home");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new HomeLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new LaunchException("STORE_UNAVAILABLE: the home " + home + " is in use by this process already", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LaunchException("STORE_UNAVAILABLE: cannot lock the home " + home + ": " + e, e);
        }
    }

    /** The PID the holder wrote, if it wrote one yet (it writes just after it takes the lock). */
    private static OptionalLong holderOf(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(32);
        channel.read(bytes, 0);
        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
        try {
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException notAPid) {
            return OptionalLong.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock was not taken; nothing of it stays open
        }
    }

    /** Releases the home; the file stays, holding a PID that no longer locks anything. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
