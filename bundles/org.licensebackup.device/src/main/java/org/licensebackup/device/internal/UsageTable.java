package org.licensebackup.device.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.Usage;

/**
 * Records of use by key ID, packed in one array sorted by key ID (unsigned bytes), looked up by
 * binary search: {@value #ENTRY_LENGTH} bytes an entry, where a map would take about five times as
 * much heap. Immutable; {@link #raisedTo} makes a new table.
 *
 * <pre>entry = keyId[16] | u32 plays used | u32 copies used | i64 first use, seconds (MIN: never) | u32 nanoseconds</pre>
 */
final class UsageTable {

    static final int ENTRY_LENGTH = KeyId.LENGTH + 4 + 4 + 8 + 4;
    static final UsageTable EMPTY = new UsageTable(new byte[0]);
    private static final long NEVER = Long.MIN_VALUE;

    private final byte[] entries;

    private UsageTable(byte[] entries) {
        this.entries = entries;
    }

    /**
     * The table in {@code packed}, as {@link #packed()} gave it.
     *
     * @throws IllegalArgumentException when it is not whole entries in strictly ascending key order,
     *     or an entry is not a record of use
     */
    static UsageTable of(byte[] packed) {
        if (packed.length % ENTRY_LENGTH != 0) {
            throw new IllegalArgumentException("not whole entries of " + ENTRY_LENGTH + " bytes");
        }
        UsageTable table = new UsageTable(packed.clone());
        for (int i = 0; i < table.size(); i++) {
            if (i > 0 && table.compareKeys(i - 1, table.entries, i * ENTRY_LENGTH) >= 0) {
                throw new IllegalArgumentException("entries out of key order at " + i);
            }
            table.usageAt(i);
        }
        return table;
    }

    int size() {
        return entries.length / ENTRY_LENGTH;
    }

    byte[] packed() {
        return entries.clone();
    }

    /** The record of use of {@code keyId}; {@link Usage#NONE} when there is none. */
    Usage get(KeyId keyId) {
        int index = indexOf(keyId.bytes());
        return index >= 0 ? usageAt(index) : Usage.NONE;
    }

    /** This table with {@code raised} in place of what it has for their key IDs. */
    UsageTable raisedTo(Map<KeyId, Usage> raised) {
        if (raised.isEmpty()) {
            return this;
        }
        List<KeyId> keys = new ArrayList<>(raised.keySet());
        keys.sort((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
        ByteBuffer out = ByteBuffer.allocate(entries.length + keys.size() * ENTRY_LENGTH);
        int next = 0;
        for (KeyId key : keys) {
            byte[] keyBytes = key.bytes();
            while (next < size() && Arrays.compareUnsigned(entries, next * ENTRY_LENGTH, next * ENTRY_LENGTH + KeyId.LENGTH,
                    keyBytes, 0, KeyId.LENGTH) < 0) {
                out.put(entries, next * ENTRY_LENGTH, ENTRY_LENGTH);
                next++;
            }
            if (next < size() && Arrays.equals(entries, next * ENTRY_LENGTH, next * ENTRY_LENGTH + KeyId.LENGTH,
                    keyBytes, 0, KeyId.LENGTH)) {
                next++;
            }
            put(out, keyBytes, raised.get(key));
        }
        out.put(entries, next * ENTRY_LENGTH, entries.length - next * ENTRY_LENGTH);
        return new UsageTable(Arrays.copyOf(out.array(), out.position()));
    }

    private static void put(ByteBuffer out, byte[] keyId, Usage usage) {
        out.put(keyId).putInt(usage.playsUsed()).putInt(usage.copiesUsed());
        Instant first = usage.firstUsedAt();
        out.putLong(first == null ? NEVER : first.getEpochSecond()).putInt(first == null ? 0 : first.getNano());
    }

    private Usage usageAt(int index) {
        ByteBuffer entry = ByteBuffer.wrap(entries, index * ENTRY_LENGTH + KeyId.LENGTH, ENTRY_LENGTH - KeyId.LENGTH);
        int plays = entry.getInt();
        int copies = entry.getInt();
        long seconds = entry.getLong();
        int nanos = entry.getInt();
        if (plays < 0 || copies < 0 || nanos < 0 || nanos > 999_999_999 || seconds == NEVER && nanos != 0) {
            throw new IllegalArgumentException("entry " + index + " is not a record of use");
        }
        return new Usage(plays, copies, seconds == NEVER ? null : Instant.ofEpochSecond(seconds, nanos));
    }

    private int indexOf(byte[] keyId) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Arrays.compareUnsigned(entries, middle * ENTRY_LENGTH, middle * ENTRY_LENGTH + KeyId.LENGTH, keyId, 0,
                    KeyId.LENGTH);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private int compareKeys(int index, byte[] other, int otherOffset) {
        return Arrays.compareUnsigned(entries, index * ENTRY_LENGTH, index * ENTRY_LENGTH + KeyId.LENGTH, other, otherOffset,
                otherOffset + KeyId.LENGTH);
    }
}
