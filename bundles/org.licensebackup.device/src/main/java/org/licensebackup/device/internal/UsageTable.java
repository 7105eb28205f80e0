package org.licensebackup.device.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

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

    /**
     * This table with the records of use in {@code raised} laid over it: for a key ID in both, or
     * several times in {@code raised}, the furthest of them.
     */
    UsageTable raisedTo(Raised raised) {
        if (raised.size() == 0) {
            return this;
        }
        UsageTable sorted = raised.sorted();
        ByteBuffer out = ByteBuffer.allocate(entries.length + sorted.entries.length);
        int mine = 0;
        int theirs = 0;
        while (mine < size() || theirs < sorted.size()) {
            int order = mine == size() ? 1 : theirs == sorted.size() ? -1
                    : compareKeys(mine, sorted.entries, theirs * ENTRY_LENGTH);
            byte[] keyId = order <= 0 ? keyAt(mine) : sorted.keyAt(theirs);
            Usage usage = order < 0 ? usageAt(mine) : order > 0 ? sorted.usageAt(theirs) : usageAt(mine).furthest(sorted.usageAt(theirs));
            mine += order <= 0 ? 1 : 0;
            theirs += order >= 0 ? 1 : 0;
            // the same key ID again in what was raised: one entry, the furthest
            while (theirs < sorted.size() && Arrays.equals(keyId, sorted.keyAt(theirs))) {
                usage = usage.furthest(sorted.usageAt(theirs++));
            }
            put(out, keyId, usage);
        }
        return new UsageTable(Arrays.copyOf(out.array(), out.position()));
    }

    /**
     * Records of use collected in the order they come, packed as the table packs them (a restore of a
     * million licenses may raise hundreds of thousands, which a map would hold in five times the heap).
     */
    static final class Raised {
        private byte[] entries = new byte[64 * ENTRY_LENGTH];
        private int count;

        void add(KeyId keyId, Usage usage) {
            if ((count + 1) * ENTRY_LENGTH > entries.length) {
                entries = Arrays.copyOf(entries, Math.max(entries.length + entries.length / 2, (count + 1) * ENTRY_LENGTH));
            }
            ByteBuffer out = ByteBuffer.wrap(entries, count * ENTRY_LENGTH, ENTRY_LENGTH);
            put(out, keyId.bytes(), usage);
            count++;
        }

        int size() {
            return count;
        }

        /** The entries sorted by key ID; a key ID added several times stays several times. */
        private UsageTable sorted() {
            UsageTable unsorted = new UsageTable(Arrays.copyOf(entries, count * ENTRY_LENGTH));
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> unsorted.compareKeys(a, unsorted.entries, b * ENTRY_LENGTH));
            byte[] sorted = new byte[count * ENTRY_LENGTH];
            for (int i = 0; i < count; i++) {
                System.arraycopy(unsorted.entries, order[i] * ENTRY_LENGTH, sorted, i * ENTRY_LENGTH, ENTRY_LENGTH);
            }
            return new UsageTable(sorted);
        }
    }

    private byte[] keyAt(int index) {
        return Arrays.copyOfRange(entries, index * ENTRY_LENGTH, index * ENTRY_LENGTH + KeyId.LENGTH);
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
