package org.licensebackup.device.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.licensebackup.device.DeviceRecord;
import org.licensebackup.device.DeviceRecordException;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;

/**
 * A device's keys and its record, as kept in its home: the key file and the record beside it
 * ({@link RecordFile}). Opening them is where a lost file shows: a home whose record says it had a
 * device, but whose key file is gone, and a key file that says it keeps a record whose record is gone,
 * are refused; neither becomes a fresh start.
 */
final class KeptRecord implements DeviceRecord {

    private final Path file;
    private final DeviceKeys keys;
    private volatile RecordState state;

    private KeptRecord(Path file, DeviceKeys keys, RecordState state) {
        this.file = file;
        this.keys = keys;
        this.state = state;
    }

    /** The keys in {@code keyFile} and their record: the device of this home, made if the home has none. */
    static KeptRecord open(Path keyFile) {
        Path recordFile = RecordFile.beside(keyFile);
        KeyFile.Read read;
        try {
            read = KeyFile.read(keyFile);
        } catch (NoSuchFileException absent) {
            if (Files.exists(recordFile)) {
                throw new KeyFileException("the device key file " + keyFile + " is missing, but this home had a device:"
                        + " its record " + recordFile + " is there; the licenses in the store are bound to that key, so no new"
                        + " one is made: put the key file back if you have a copy; otherwise run newdevice, which keeps the"
                        + " device's files aside and makes this a new device, and restore your newest backup through your"
                        + " license server (restore DIR --rebind)");
            }
            return create(keyFile, recordFile);
        } catch (IOException e) {
            throw new KeyFileException("cannot read the device key file " + keyFile + ": " + e, e);
        }
        try {
            KeptRecord opened = new KeptRecord(recordFile, read.keys(), RecordFile.read(recordFile, read.keys()));
            if (!read.keepsRecord()) {
                // a new device interrupted after its record was written: the mark that makes a lost record seen follows
                KeyFile.write(keyFile, read.keys(), true);
            }
            return opened;
        } catch (NoSuchFileException absent) {
            if (read.keepsRecord()) {
                throw new DeviceRecordException("the device record " + recordFile + " is missing: the device key file "
                        + keyFile + " says this device keeps one; it holds what this device gave back and how far its licenses"
                        + " were used, so no empty one is made: put it back if you have a copy; otherwise run newdevice, which"
                        + " keeps the device's files aside and makes this a new device, and restore your newest backup through"
                        + " your license server (restore DIR --rebind)");
            }
            // a key file from before there were records: the record starts now
            return withNewRecord(keyFile, recordFile, read.keys());
        } catch (IOException e) {
            throw new DeviceRecordException("cannot read the device record " + recordFile + ": " + e, e);
        }
    }

    /**
     * A new device. The key file is written first without the mark that a record exists, then the
     * record, then the key file with the mark: a crash at any point leaves a home that opens.
     */
    private static KeptRecord create(Path keyFile, Path recordFile) {
        DeviceKeys keys = DeviceKeys.generate();
        KeyFile.write(keyFile, keys, false);
        return withNewRecord(keyFile, recordFile, keys);
    }

    static KeptRecord withNewRecord(Path keyFile, Path recordFile, DeviceKeys keys) {
        RecordState empty = RecordState.empty(keys.deviceId());
        RecordFile.write(recordFile, keys, empty);
        KeyFile.write(keyFile, keys, true);
        return new KeptRecord(recordFile, keys, empty);
    }

    DeviceKeys keys() {
        return keys;
    }

    Path file() {
        return file;
    }

    @Override
    public Optional<Instant> releasedAt(License license) {
        return state.releasedAt(license);
    }

    @Override
    public Usage usageSeen(KeyId keyId) {
        return state.usage().get(keyId);
    }

    @Override
    public Optional<StoreMark> lastStore() {
        return Optional.ofNullable(state.store());
    }

    @Override
    public Change change() {
        return new Change() {
            private final RecordState.Pending pending = new RecordState.Pending(state);
            private boolean committed;

            @Override
            public Change released(License license, Instant at) {
                pending.released(license, at);
                return this;
            }

            @Override
            public Change notReleased(License license) {
                pending.notReleased(license);
                return this;
            }

            @Override
            public Change used(License license) {
                pending.used(license);
                return this;
            }

            @Override
            public Change store(StoreMark mark) {
                pending.store(mark);
                return this;
            }

            @Override
            public void commit() {
                if (committed) {
                    throw new IllegalStateException("committed already");
                }
                commitChange(pending);
                committed = true;
            }
        };
    }

    /**
     * Changes made meanwhile by another change are kept: this one is laid over the state as it is now,
     * not as it was when it started.
     */
    private synchronized void commitChange(RecordState.Pending pending) {
        RecordState next = pending.over(state);
        RecordFile.write(file, keys, next);
        state = next;
    }
}
