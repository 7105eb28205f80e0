package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default file system with faults injected where a disk, a network share or a USB stick has
 * them: a write that fails, a disk that fills, a force that fails, a rename that fails, reads that
 * return a few bytes at a time or fail, a folder that cannot be written. Code under test gets a
 * {@link Path} of this file system ({@link #path}); every {@code Files} and {@code FileChannel}
 * call on it comes here, so the production code needs no hook of its own. Faults apply only to
 * files whose name matches the one given, so that the rest of the test works as usual.
 */
final class FaultyFileSystem extends FileSystem {

    /** What goes wrong. */
    enum Fault {
        /** Every write to a matching file fails once {@link #budget} bytes were written to it. */
        WRITE_FAILS,
        /** Like WRITE_FAILS, with the error a full disk gives. */
        DISK_FULL,
        /** Forcing a matching file to disk fails. */
        FORCE_FAILS,
        /** Moving (renaming) or linking a matching file fails. */
        RENAME_FAILS,
        /** Reads of a matching file return at most 7 bytes each: legal, and a reader must cope. */
        SHORT_READS,
        /** Reads of a matching file fail once {@link #budget} bytes were read. */
        READ_FAILS,
        /** Nothing can be created or opened for writing in the file system (matching the name or not). */
        READ_ONLY
    }

    private final FileSystem delegate = FileSystems.getDefault();
    private final Provider provider = new Provider();
    private final Fault fault;
    private final String fileNamePart;
    private final long budget;
    /** How many faults were injected: a test whose fault never struck proves nothing. */
    final AtomicLong struck = new AtomicLong();

    /**
     * @param fileNamePart the faults strike files whose name contains this
     * @param budget bytes that pass before a WRITE_FAILS, DISK_FULL or READ_FAILS fault strikes
     */
    FaultyFileSystem(Fault fault, String fileNamePart, long budget) {
        this.fault = Objects.requireNonNull(fault, "fault");
        this.fileNamePart = Objects.requireNonNull(fileNamePart, "fileNamePart");
        this.budget = budget;
    }

    /** {@code real} as a path of this file system. */
    Path path(Path real) {
        return new FaultyPath(this, real.toAbsolutePath());
    }

    private boolean strikes(Path real) {
        Path name = real.getFileName();
        return name != null && name.toString().contains(fileNamePart);
    }

    private IOException strike(IOException failure) {
        struck.incrementAndGet();
        return failure;
    }

    @Override
    public String toString() {
        return fault + " on files named *" + fileNamePart + "*";
    }

    static Path real(Path path) {
        return path instanceof FaultyPath faulty ? faulty.real : path;
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        // the default file system stays open
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return fault == Fault.READ_ONLY;
    }

    @Override
    public String getSeparator() {
        return delegate.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return delegate.getRootDirectories();
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return delegate.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return delegate.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return new FaultyPath(this, delegate.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = delegate.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(real(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return delegate.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        throw new UnsupportedOperationException("no watching in fault trials");
    }

    /** Hands every call to the default provider with real paths, striking where the fault says. */
    private final class Provider extends FileSystemProvider {

        private final FileSystemProvider real = delegate.provider();

        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            return FaultyFileSystem.this;
        }

        @Override
        public Path getPath(URI uri) {
            return new FaultyPath(FaultyFileSystem.this, real.getPath(uri));
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            Path file = real(path);
            if (fault == Fault.READ_ONLY && writes(options)) {
                throw strike(new AccessDeniedException(file.toString(), null, "read-only file system"));
            }
            FileChannel channel = real.newFileChannel(file, options, attrs);
            return strikes(file) ? new FaultyChannel(channel, file) : channel;
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            return newFileChannel(path, options, attrs);
        }

        private boolean writes(Set<? extends OpenOption> options) {
            return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)
                    || options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> entries = real.newDirectoryStream(real(dir),
                    entry -> filter.accept(new FaultyPath(FaultyFileSystem.this, entry)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> realEntries = entries.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return realEntries.hasNext();
                        }

                        @Override
                        public Path next() {
                            return new FaultyPath(FaultyFileSystem.this, realEntries.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    entries.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            if (fault == Fault.READ_ONLY) {
                // As mkdir on a read-only file system: an existing folder is told first.
                if (java.nio.file.Files.exists(real(dir))) {
                    throw new java.nio.file.FileAlreadyExistsException(real(dir).toString());
                }
                throw strike(new AccessDeniedException(real(dir).toString(), null, "read-only file system"));
            }
            real.createDirectory(real(dir), attrs);
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            if (fault == Fault.RENAME_FAILS && strikes(real(existing))) {
                throw strike(new IOException("injected: cannot link " + existing));
            }
            real.createLink(real(link), real(existing));
        }

        @Override
        public void delete(Path path) throws IOException {
            real.delete(real(path));
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            real.copy(real(source), real(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            if (fault == Fault.RENAME_FAILS && strikes(real(source))) {
                throw strike(new IOException("injected: cannot rename " + source));
            }
            real.move(real(source), real(target), options);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return real.isSameFile(real(path), real(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return real.isHidden(real(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return real.getFileStore(real(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            real.checkAccess(real(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return real.getFileAttributeView(real(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return real.readAttributes(real(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
            return real.readAttributes(real(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            real.setAttribute(real(path), attribute, value, options);
        }
    }

    /** A channel to a matching file, with the fault in its writes, forces or reads. */
    private final class FaultyChannel extends FileChannel {

        private final FileChannel channel;
        private final Path file;
        private long written;
        private long bytesRead;

        FaultyChannel(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
        }

        private void beforeWrite(int length) throws IOException {
            if ((fault == Fault.WRITE_FAILS || fault == Fault.DISK_FULL) && written + length > budget) {
                throw strike(new IOException(fault == Fault.DISK_FULL ? "No space left on device" : "injected: write failed",
                        null));
            }
            written += length;
        }

        private ByteBuffer limitRead(ByteBuffer destination) throws IOException {
            if (fault == Fault.READ_FAILS && bytesRead >= budget) {
                throw strike(new IOException("injected: read failed (Input/output error) in " + file));
            }
            if (fault == Fault.SHORT_READS && destination.remaining() > 7) {
                struck.incrementAndGet();
                return destination.slice(destination.position(), 7);
            }
            return destination;
        }

        /** A read of the channel into a buffer, at its position or at one given. */
        private interface Read {
            int into(ByteBuffer buffer) throws IOException;
        }

        /** Reads through {@code read}, cut short or failed as the fault says. */
        private int faultyRead(ByteBuffer destination, Read read) throws IOException {
            ByteBuffer limited = limitRead(destination);
            int count = read.into(limited);
            if (limited != destination && count > 0) {
                destination.position(destination.position() + count);
            }
            bytesRead += Math.max(count, 0);
            return count;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return faultyRead(destination, channel::read);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int count = read(destinations[i]);
                if (count <= 0) {
                    return total == 0 ? count : total;
                }
                total += count;
            }
            return total;
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return faultyRead(destination, buffer -> channel.read(buffer, position));
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            beforeWrite(source.remaining());
            return channel.write(source);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(sources[i]);
            }
            return total;
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            beforeWrite(source.remaining());
            return channel.write(source, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (fault == Fault.FORCE_FAILS) {
                throw strike(new IOException("injected: fsync failed (Input/output error) for " + file));
            }
            channel.force(metaData);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
            int got = read(buffer, position);
            buffer.flip();
            return got <= 0 ? 0 : target.write(buffer);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
            int got = source.read(buffer);
            buffer.flip();
            return got <= 0 ? 0 : write(buffer, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("no mapping in fault trials: faults could not strike it");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }

    /** A path of the default file system, seen as one of this file system. */
    private static final class FaultyPath implements Path {

        private final FaultyFileSystem fileSystem;
        private final Path real;

        FaultyPath(FaultyFileSystem fileSystem, Path real) {
            this.fileSystem = fileSystem;
            this.real = real;
        }

        private Path wrap(Path path) {
            return path == null ? null : new FaultyPath(fileSystem, path);
        }

        @Override
        public FileSystem getFileSystem() {
            return fileSystem;
        }

        @Override
        public boolean isAbsolute() {
            return real.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(real.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(real.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(real.getParent());
        }

        @Override
        public int getNameCount() {
            return real.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(real.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(real.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return real.startsWith(real(other));
        }

        @Override
        public boolean endsWith(Path other) {
            return real.endsWith(real(other));
        }

        @Override
        public Path normalize() {
            return wrap(real.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(real.resolve(real(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(real.relativize(real(other)));
        }

        @Override
        public URI toUri() {
            return real.toUri();
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(real.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(real.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("no watching in fault trials");
        }

        @Override
        public int compareTo(Path other) {
            return real.compareTo(real(other));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FaultyPath path && path.real.equals(real);
        }

        @Override
        public int hashCode() {
            return real.hashCode();
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }
}
