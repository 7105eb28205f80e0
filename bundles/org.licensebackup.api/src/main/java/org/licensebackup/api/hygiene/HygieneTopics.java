package org.licensebackup.api.hygiene;

import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;

/**
 * The EventAdmin topics of a {@link StoreHygiene#clean()}, with the properties of
 * {@link EventProperties} as a backup's. Since API 1.3.
 */
public final class HygieneTopics {

    /** A clean started; carries {@link EventProperties#TOTAL}, the licenses in the store. */
    public static final String CLEAN_BEGIN = EventTopics.PREFIX + "clean/BEGIN";
    /** How far a clean is; rate-limited. */
    public static final String CLEAN_PROGRESS = EventTopics.PREFIX + "clean/PROGRESS";
    /** One license was removed; carries its key ID, title and reason. */
    public static final String CLEAN_REMOVED_LICENSE = EventTopics.PREFIX + "clean/REMOVED_LICENSE";
    /** A clean ended; {@link EventProperties#SUCCEEDED} counts the licenses removed. */
    public static final String CLEAN_END = EventTopics.PREFIX + "clean/END";
    /** Every clean topic. */
    public static final String CLEAN_ALL = EventTopics.PREFIX + "clean/*";

    private HygieneTopics() {
    }
}
