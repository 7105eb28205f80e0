package org.licensebackup.policy.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.licensebackup.api.Reason;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.licensebackup.policy.Binding;
import org.licensebackup.policy.RestoreDecision;
import org.licensebackup.policy.RightsPolicy;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The issuer's rights decide: a license goes into a backup only if its issuer allowed backup and it
 * has not expired; a restore never takes a license back to an older state of use. A license counts
 * only on the device it is bound to, and only if its issuer's signature verifies.
 */
@Component(service = RightsPolicy.class)
public class IssuerRightsPolicy implements RightsPolicy {

    private final SignatureChecker signatures = new SignatureChecker(Runtime.getRuntime().availableProcessors());

    /** Stops the signature checker's threads; the policy is unusable afterwards. */
    @Deactivate
    public void close() {
        signatures.close();
    }

    @Override
    public Optional<Reason> excludeFromBackup(License license, Instant now) {
        return whyUnusable(license, license.usage(), now);
    }

    @Override
    public RestoreDecision decideRestore(License fromBackup, Optional<License> inStore, Instant now) {
        Usage furthest = inStore.map(stored -> stored.usage().furthest(fromBackup.usage())).orElse(fromBackup.usage());
        Optional<Reason> unusable = whyUnusable(fromBackup, furthest, now);
        if (unusable.isPresent()) {
            return new RestoreDecision.Reject(unusable.get());
        }
        if (inStore.isEmpty()) {
            return new RestoreDecision.Restore(fromBackup.usage());
        }
        Usage stored = inStore.get().usage();
        if (stored.equals(fromBackup.usage())) {
            return new RestoreDecision.Unchanged();
        }
        if (stored.atLeast(fromBackup.usage())) {
            return new RestoreDecision.Reject(Reason.NEWER_IN_STORE);
        }
        return new RestoreDecision.Restore(furthest);
    }

    @Override
    public Binding binding(License license, String thisDeviceId, String backupDeviceId) {
        String boundTo = license.grant().deviceId();
        if (boundTo.equals(thisDeviceId)) {
            return Binding.THIS_DEVICE;
        }
        // Only the backup's own device escrowed its key for the service, so only its licenses re-bind.
        return boundTo.equals(backupDeviceId) ? Binding.BACKUP_DEVICE : Binding.ANOTHER_DEVICE;
    }

    @Override
    public boolean[] genuine(List<License> licenses, Predicate<byte[]> trustedIssuer) {
        return signatures.check(licenses, trustedIssuer);
    }

    /**
     * A license past its expiry date is expired for good: no state of use, so no restore, changes that
     * date (its expiry with no use at all has passed). Otherwise a stateful license is kept whatever
     * its state, used up or expired since its first use: its copy here is the furthest state of use
     * the device knows, which a restore of an older backup must not undercut. A stateless one bound to
     * another device never opens here.
     */
    @Override
    public Optional<Reason> neverUsableAgain(License license, String thisDeviceId, Instant now) {
        if (license.rights().expiry(Usage.NONE).filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            return Optional.of(Reason.EXPIRED);
        }
        if (license.rights().stateful()) {
            return Optional.empty();
        }
        return binding(license, thisDeviceId, thisDeviceId).whyLeftOut();
    }

    private static Optional<Reason> whyUnusable(License license, Usage usage, Instant now) {
        if (!license.rights().backupAllowed()) {
            return Optional.of(Reason.BACKUP_NOT_ALLOWED);
        }
        if (license.rights().expiry(usage).filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            return Optional.of(Reason.EXPIRED);
        }
        return Optional.empty();
    }
}
