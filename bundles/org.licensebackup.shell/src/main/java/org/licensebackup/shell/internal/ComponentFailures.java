package org.licensebackup.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Why a component that would provide a service failed to activate, as Declarative Services tells
 * it: a device key file that is damaged, a store that does not open. Without this the command line
 * could only wait for a service that will never come, then say it did not come.
 */
final class ComponentFailures {

    private static final String CAUSED_BY = "Caused by: ";
    private static final String OUR_PACKAGES = "org.licensebackup.";

    private final Supplier<Optional<ServiceComponentRuntime>> runtime;

    /** @param runtime the Service Component Runtime bound now, if any */
    ComponentFailures(Supplier<Optional<ServiceComponentRuntime>> runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * The failure of a component that provides {@code serviceType} and failed to activate, as the
     * runtime recorded it (a stack trace), if there is one.
     */
    Optional<String> failureOf(String serviceType) {
        Optional<ServiceComponentRuntime> scr = runtime.get();
        if (scr.isEmpty()) {
            return Optional.empty();
        }
        for (ComponentDescriptionDTO description : scr.get().getComponentDescriptionDTOs()) {
            if (description.serviceInterfaces == null || !List.of(description.serviceInterfaces).contains(serviceType)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.get().getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION && configuration.failure != null) {
                    return Optional.of(configuration.failure);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The message that says what is wrong, from a stack trace as {@link Throwable#printStackTrace()}
     * prints it: the outermost exception of ours in the chain of causes (a store's or a key file's,
     * which names the file and says what to do), else the innermost cause; not the reflection and
     * runtime layers wrapped around it. Its class name goes; the message stays.
     */
    static String rootCauseMessage(String stackTrace) {
        List<String> chain = new ArrayList<>();
        for (String line : stackTrace.split("\\R")) {
            if (chain.isEmpty()) {
                chain.add(line);
            } else if (line.startsWith(CAUSED_BY)) {
                chain.add(line.substring(CAUSED_BY.length()));
            }
        }
        if (chain.isEmpty()) {
            return stackTrace;
        }
        String chosen = chain.stream().filter(line -> line.startsWith(OUR_PACKAGES)).findFirst()
                .orElse(chain.get(chain.size() - 1));
        int colon = chosen.indexOf(": ");
        return colon > 0 && !chosen.substring(0, colon).contains(" ") ? chosen.substring(colon + 2) : chosen;
    }
}
