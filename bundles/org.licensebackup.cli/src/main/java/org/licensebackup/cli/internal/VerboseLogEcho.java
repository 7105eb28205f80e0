package org.licensebackup.cli.internal;

import java.io.PrintStream;
import java.util.Collections;
import java.util.List;

import org.licensebackup.launching.LauncherContract;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * With {@code --verbose} (the framework property {@value #VERBOSE_PROPERTY}), every warning and
 * error logged in the framework, stack trace and all, goes to the console's error stream. Without
 * it, the console shows one line per failure; the details are in the Log Service, not in front of
 * the user. Felix SCR logs the failures it catches there too, once a Log Service runs.
 */
@Component(immediate = true)
public final class VerboseLogEcho implements LogListener {

    static final String VERBOSE_PROPERTY = LauncherContract.VERBOSE_PROPERTY;

    private final LogReaderService reader;
    private final boolean verbose;
    private final PrintStream err = System.err;

    /**
     * @param reader the Log Service's reader; optional, because a host such as Karaf may not offer
     *     one, and then there is nothing to echo
     */
    @Activate
    public VerboseLogEcho(BundleContext context,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) LogReaderService reader) {
        this.reader = reader;
        this.verbose = reader != null && Boolean.parseBoolean(context.getProperty(VERBOSE_PROPERTY));
        if (verbose) {
            reader.addLogListener(this);
            // What was logged before this component came (a key file that failed as the framework
            // started), oldest first: the reader answers newest first.
            List<LogEntry> earlier = Collections.list(reader.getLog());
            Collections.reverse(earlier);
            earlier.forEach(this::logged);
        }
    }

    @Deactivate
    void deactivate() {
        if (verbose) {
            reader.removeLogListener(this);
        }
    }

    @Override
    public void logged(LogEntry entry) {
        if (LogLevel.WARN.implies(entry.getLogLevel())) {
            err.println("log: " + entry.getLogLevel() + " " + entry.getBundle().getSymbolicName() + ": " + entry.getMessage());
            if (entry.getException() != null) {
                entry.getException().printStackTrace(err);
            }
        }
    }
}
