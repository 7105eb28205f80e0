package org.licensebackup.store;

/**
 * The service properties that a {@link LicenseStore} is registered with and that hosts read: a
 * contract of the SPI, so that renaming one breaks the compile of every store and every reader.
 */
public final class StoreProperties {

    /**
     * The store's short name ({@code embedded}, {@code postgres}): what {@code status} shows and the
     * device record keeps, and what a host filters by to find one store among several.
     */
    public static final String NAME = "licensebackup.store.name";

    private StoreProperties() {
    }
}
