package org.licensebackup.lms.server.internal;

import java.util.List;

import org.h2.util.OsgiDataSourceFactory;
import org.osgi.service.jdbc.DataSourceFactory;

/** H2's DataSourceFactory, as its bundle registers it in OSGi: the drivers that a server outside OSGi is given. */
public final class H2Drivers {

    private H2Drivers() {
    }

    public static List<DataSourceFactory> h2() {
        return List.of(new OsgiDataSourceFactory(org.h2.Driver.load()));
    }
}
