package org.licensebackup.restorer.internal;

/**
 * A backup a host asked for before a risky change: into the safety directory, beside the safety
 * backups before it ({@link SafetyBackups}), with the events of a backup.
 */
final class SafetyBackupJob extends Job {

    private final SafetyBackups safety;

    SafetyBackupJob(RunningOperation operation, Collaborators with, SafetyBackups safety) {
        super(operation, with);
        this.safety = safety;
    }

    @Override
    void work() throws Exception {
        sourceDeviceId = with.device().deviceId();
        total = with.store().count();
        events.begin(safety.directory(), total);
        backupFile = safety.write(with, clock.instant(), countingEachLicense());
    }
}
