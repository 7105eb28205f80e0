package org.licensebackup.schedule.internal;

import java.time.Clock;
import java.time.Duration;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.licensebackup.api.schedule.BackupSchedules;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A Felix health check of the scheduled backups ({@link BackupAge}). Disabled until
 * {@link HealthCheckEnabler} finds Felix Health Checks' API wired, so hosts without it never load it.
 */
@Component(service = HealthCheck.class, enabled = false, configurationPid = BackupHealthCheck.PID,
        property = { HealthCheck.NAME + "=License backups", HealthCheck.TAGS + "=licensebackup",
                HealthCheck.TAGS + "=backup" })
@Designate(ocd = BackupHealthCheck.Config.class)
public class BackupHealthCheck implements HealthCheck {

    static final String PID = "org.licensebackup.schedule.health";

    @ObjectClassDefinition(name = "License Backup health check", description = "How old the last good scheduled backup may be")
    public @interface Config {
        @AttributeDefinition(name = "Warn age", description = "WARN when a schedule's last good backup is older (ISO-8601)")
        String warn_age() default "P2D";

        @AttributeDefinition(name = "Critical age", description = "CRITICAL when it is older still (ISO-8601)")
        String critical_age() default "P7D";

        @AttributeDefinition(name = "Critical failures", description = "CRITICAL when this many scheduled backups failed in a row")
        int critical_failures() default 3;
    }

    private final BackupSchedules schedules;
    private final BackupAge age;

    @Activate
    public BackupHealthCheck(@Reference BackupSchedules schedules, Config config) {
        this.schedules = schedules;
        this.age = new BackupAge(Duration.parse(config.warn_age()), Duration.parse(config.critical_age()),
                config.critical_failures());
    }

    @Override
    public Result execute() {
        BackupAge.Verdict verdict = age.assess(schedules.schedules(), Clock.systemUTC().instant());
        FormattingResultLog log = new FormattingResultLog();
        for (BackupAge.Line line : verdict.lines()) {
            switch (line.level()) {
                case CRITICAL -> log.critical("{}", line.text());
                case WARN -> log.warn("{}", line.text());
                case OK -> log.info("{}", line.text());
            }
        }
        return new Result(log);
    }
}
