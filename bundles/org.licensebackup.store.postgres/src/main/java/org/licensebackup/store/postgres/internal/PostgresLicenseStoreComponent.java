package org.licensebackup.store.postgres.internal;

import java.sql.SQLException;
import java.util.Properties;

import org.licensebackup.license.License;
import org.licensebackup.store.ForwardingLicenseStore;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The PostgreSQL license store as a service, once configured: a host swaps to it at runtime by
 * configuring it with a {@code service.ranking} above its current store's (the embedded store has
 * the lowest), and back by deleting the configuration. An operation keeps the store it started with.
 * A new configuration reopens it. Immediate, so that whether the database is reached, and why not,
 * is known once configured ({@link PostgresStoreReadiness}).
 */
@Component(service = LicenseStore.class, configurationPid = PostgresLicenseStoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = StoreProperties.NAME + "=" + PostgresLicenseStoreComponent.STORE_NAME)
@Designate(ocd = PostgresLicenseStoreComponent.Config.class)
public final class PostgresLicenseStoreComponent extends ForwardingLicenseStore {

    static final String PID = "org.licensebackup.store.postgres";
    static final String STORE_NAME = "postgres";

    @ObjectClassDefinition(name = "License Backup: license store on PostgreSQL",
            description = "Licenses in a PostgreSQL database; registered with the configured service.ranking."
                    + " license:store postgres JDBC-URL writes this configuration and license:store embedded deletes it.")
    public @interface Config {

        @AttributeDefinition(name = "database.url", description = "The JDBC URL, e.g. jdbc:postgresql://host/db. Its driver must"
                + " register a DataSourceFactory (PostgreSQL's bundle does, beside org.osgi.service.jdbc).")
        String database_url();

        @AttributeDefinition(name = "database.user", description = "The user database.url is reached as; empty: the driver's default.")
        String database_user() default "";

        /** Private (a leading dot), so that it is not published among the service's properties. */
        @AttributeDefinition(name = ".database.password", type = AttributeType.PASSWORD, description = "The password of database.user.")
        String _database_password() default "";

        @AttributeDefinition(name = "service.ranking", description = "Above the host's current store's to swap to this one.")
        int service_ranking() default 0;

        @AttributeDefinition(name = "pool.size", min = "1", description = "The most connections: one per operation and per reader.")
        int pool_size() default 8;

        @AttributeDefinition(name = "fetch.size", min = "1", description = "Licenses fetched per round trip while all are read.")
        int fetch_size() default 1000;
    }

    private final HikariDataSource pool;
    private final PostgresLicenseStore store;
    private final PostgresStoreReadiness readiness;

    /**
     * @param driver PostgreSQL's driver: the store waits for it, as for its configuration
     *     ({@code dataSourceFactory.target} in the configuration names another)
     * @throws StoreException when the driver does not take the URL or the database cannot be reached
     */
    @Activate
    public PostgresLicenseStoreComponent(Config config,
            @Reference(name = "dataSourceFactory", target = "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.postgresql.Driver)")
            DataSourceFactory driver, @Reference PostgresStoreReadiness readiness) {
        this.readiness = readiness;
        try {
            pool = reach(config, driver);
        } catch (RuntimeException e) {
            readiness.failed(e);
            throw e;
        }
        try {
            store = new PostgresLicenseStore(pool, withoutCredentials(config.database_url()), config.fetch_size());
        } catch (RuntimeException e) {
            pool.close();
            readiness.failed(e);
            throw e;
        }
        readiness.reached();
    }

    /** A pool of connections to the database, which has answered. */
    private static HikariDataSource reach(Config config, DataSourceFactory driver) {
        String url = config.database_url();
        if (!accepts(driver, url)) {
            throw new StoreException("PostgreSQL's driver does not take database.url " + withoutCredentials(url)
                    + ": it starts with jdbc:postgresql://");
        }
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.database_user().isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_USER, config.database_user());
            properties.setProperty(DataSourceFactory.JDBC_PASSWORD, config._database_password());
        }
        HikariConfig pooling = new HikariConfig();
        try {
            pooling.setDataSource(driver.createDataSource(properties));
        } catch (SQLException e) {
            throw new StoreException("database.url " + url + " cannot be used: " + e.getMessage(), e);
        }
        pooling.setPoolName("licensebackup-store");
        pooling.setMaximumPoolSize(config.pool_size());
        try {
            // fails at once when the database cannot be reached: a store that is not there is not registered
            return new HikariDataSource(pooling);
        } catch (RuntimeException e) {
            throw new StoreException("cannot reach the PostgreSQL license store at " + withoutCredentials(url) + ": " + e.getMessage(), e);
        }
    }

    private static boolean accepts(DataSourceFactory factory, String url) {
        try {
            return factory.createDriver(null).acceptsURL(url);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The URL as messages may show it: without a query, where a password may be. */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Deactivate
    void deactivate() {
        readiness.closed();
        pool.close();
    }

    @Override
    protected LicenseStore delegate() {
        return store;
    }
}
