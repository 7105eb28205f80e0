package org.licensebackup.datalocation;

import java.io.File;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where a component keeps a file: the path its configuration names; else, under the framework
 * property {@value #HOME_PROPERTY} (the launcher's and hosts' one place for License Backup's data);
 * else the bundle's own data area. Bundles take this class in privately (bnd
 * {@code -conditionalpackage}), so it is no API.
 */
public final class DataLocation {

    /** The framework property naming the directory of License Backup's files. */
    public static final String HOME_PROPERTY = "licensebackup.home";

    private DataLocation() {
    }

    /**
     * @param configuredPath the component's {@code path} configuration, may be null or blank
     * @param defaultFileName the file's name under the home or in the data area
     * @param pid the configuration to name in the error, when the framework has no data area
     * @throws IllegalStateException when nothing is configured and the framework has no data area
     */
    public static Path resolve(BundleContext context, String configuredPath, String defaultFileName, String pid) {
        if (configuredPath != null && !configuredPath.isBlank()) {
            return Path.of(configuredPath).toAbsolutePath();
        }
        String home = context.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home, defaultFileName).toAbsolutePath();
        }
        File dataFile = context.getDataFile(defaultFileName);
        if (dataFile == null) {
            throw new IllegalStateException("the framework has no data area for " + defaultFileName + ": configure "
                    + pid + " path or the framework property " + HOME_PROPERTY);
        }
        return dataFile.toPath().toAbsolutePath();
    }
}
