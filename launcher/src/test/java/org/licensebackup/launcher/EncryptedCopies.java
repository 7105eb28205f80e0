package org.licensebackup.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * What a backup of the store's file alone costs, without the product: an encrypted copy made in this
 * JVM (read, AES-256-GCM in 1 MiB chunks each with its own nonce, write, force), and, where it is
 * installed, {@code restic backup} of the file into a new repository. The product's backup filters,
 * signs and reports every license, which these do not: they are the floor a user could pick instead.
 */
final class EncryptedCopies {

    private static final int CHUNK = 1 << 20;
    private static final int TAG_BITS = 128;

    private EncryptedCopies() {
    }

    /** Reads {@code source}, encrypts it chunk by chunk, writes and forces {@code copy}: its wall seconds. */
    static double aesGcmCopy(Path source, Path copy) throws IOException, GeneralSecurityException {
        long started = System.nanoTime();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        SecretKey key = generator.generateKey();
        SecureRandom random = new SecureRandom();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = new byte[12];
        ByteBuffer plain = ByteBuffer.allocate(CHUNK);
        ByteBuffer sealed = ByteBuffer.allocate(CHUNK + TAG_BITS / 8 + nonce.length);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            while (readFully(in, plain.clear()) > 0) {
                plain.flip();
                random.nextBytes(nonce);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
                sealed.clear().put(nonce);
                cipher.doFinal(plain, sealed);
                sealed.flip();
                while (sealed.hasRemaining()) {
                    out.write(sealed);
                }
            }
            out.force(true);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(copy);
        return seconds;
    }

    private static int readFully(FileChannel in, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    /**
     * {@code restic backup} of {@code file} into a new repository in {@code folder} (its {@code init}
     * untimed): {@code restic_backup_seconds}, or {@code skipped} where restic is not installed.
     */
    static Map<String, Object> restic(Path file, Path folder, PrintStream out) throws IOException, InterruptedException {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (new ProcessBuilder("sh", "-c", "command -v restic").start().waitFor() != 0) {
            out.println("restic: not installed; skipped");
            figures.put("skipped", "restic not installed");
            figures.put("backup_seconds", Double.NaN);
            return figures;
        }
        Main.deleteRecursively(folder);
        String repository = folder.resolve("repository").toString();
        run("restic init --quiet --repo '" + repository + "'", folder);
        long started = System.nanoTime();
        run("restic backup --quiet --repo '" + repository + "' '" + file + "'", folder);
        figures.put("backup_seconds", (System.nanoTime() - started) / 1e9);
        figures.put("version", run("restic version", folder).trim());
        Main.deleteRecursively(folder);
        return figures;
    }

    /** Runs {@code command} with a throwaway repository password: its output. */
    private static String run(String command, Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().put("RESTIC_PASSWORD", "benchmark");
        builder.environment().put("RESTIC_CACHE_DIR", folder.resolve("cache").toString());
        Process process = builder.start();
        String said;
        try (InputStream output = process.getInputStream()) {
            said = new String(output.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IOException(command + " failed: " + said);
        }
        return said;
    }
}
