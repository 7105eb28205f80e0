package org.licensebackup.schedule.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One scheduled backup per factory configuration {@value #FACTORY_PID}: a {@link ScheduledBackup}
 * on a thread of its own, by the system clock. A change of configuration restarts it.
 */
@Component(service = ScheduleComponent.class, configurationPid = ScheduleComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ScheduleComponent.Config.class, factory = true)
public class ScheduleComponent {

    static final String FACTORY_PID = "org.licensebackup.schedule";

    @ObjectClassDefinition(name = "License Backup schedule",
            description = "A backup made by itself, at times a period or a cron expression sets, with retention as restic's forget states it")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "How status, events and commands name it; empty: its PID")
        String name() default "";

        @AttributeDefinition(name = "Directory", description = "Where its backups go, beside any others there")
        String directory();

        @AttributeDefinition(name = "Period", description = "ISO-8601, e.g. P1D or PT6H; used when no cron expression is given")
        String period() default "P1D";

        @AttributeDefinition(name = "Cron expression",
                description = "Five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\" for 03:00 every day")
        String cron() default "";

        @AttributeDefinition(name = "Time zone", description = "For the cron expression and retention's days, weeks and months; empty: the system's")
        String zone() default "";

        @AttributeDefinition(name = "Keep last", description = "The newest this many backups")
        int keep_last() default 7;

        @AttributeDefinition(name = "Keep daily", description = "The newest backup of each of the newest this many days that have one")
        int keep_daily() default 14;

        @AttributeDefinition(name = "Keep weekly", description = "The newest backup of each of the newest this many ISO weeks that have one")
        int keep_weekly() default 8;

        @AttributeDefinition(name = "Keep monthly", description = "The newest backup of each of the newest this many months that have one")
        int keep_monthly() default 12;

        @AttributeDefinition(name = "First retry", description = "How long after a failed backup it is tried again (ISO-8601); each retry waits twice as long")
        String retry_first() default "PT1M";

        @AttributeDefinition(name = "Longest retry wait", description = "ISO-8601")
        String retry_longest() default "PT1H";

        @AttributeDefinition(name = "Retries", description = "How often a failed backup is tried again before the next regular one")
        int retries() default 5;
    }

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final ScheduledExecutorService thread;
    private final ScheduledBackup schedule;

    @Activate
    public ScheduleComponent(@Reference BackupRestorer restorer, @Reference BackupCatalog catalog, Config config,
            Map<String, Object> properties) {
        ScheduleSettings settings = settings(config, String.valueOf(properties.get("service.pid")));
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread named = new Thread(task, "license-backup-schedule-" + settings.name());
            named.setDaemon(true);
            return named;
        });
        schedule = new ScheduledBackup(settings, restorer, catalog, Ticker.of(Clock.systemUTC(), thread), this::post,
                () -> logger);
        schedule.start();
    }

    @Deactivate
    void deactivate() {
        schedule.stop();
        thread.shutdown();
    }

    ScheduleStatus status() {
        return schedule.status();
    }

    String name() {
        return schedule.name();
    }

    void runNow() {
        schedule.runNow();
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(topic, properties));
        }
    }

    /** @throws IllegalArgumentException for a configuration that cannot make a schedule, saying what is wrong */
    static ScheduleSettings settings(Config config, String pid) {
        String name = config.name() == null || config.name().isBlank() ? pid : config.name().trim();
        if (config.directory() == null || config.directory().isBlank()) {
            throw new IllegalArgumentException("schedule " + name + " names no directory");
        }
        try {
            ZoneId zone = config.zone() == null || config.zone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(config.zone().trim());
            return new ScheduleSettings(name, Path.of(config.directory()), Timetable.of(config.cron(), config.period(), zone),
                    new Retention(config.keep_last(), config.keep_daily(), config.keep_weekly(), config.keep_monthly(), zone),
                    Duration.parse(config.retry_first()), Duration.parse(config.retry_longest()), config.retries());
        } catch (InvalidPathException | DateTimeException e) {
            throw new IllegalArgumentException("schedule " + name + ": " + e.getMessage(), e);
        }
    }
}
