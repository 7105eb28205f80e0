package org.licensebackup.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs the commands other bundles contribute as Gogo commands in the scope {@value #SCOPE}, through
 * Gogo's command processor: the shell's operator commands ({@code license:backup} and the rest) and
 * the issuer tool's {@code license:issue}. So the command line and a Gogo or Karaf console run one
 * implementation, and this bundle needs none of theirs.
 */
final class GogoCommands implements ContributedCommands {

    static final String SCOPE = "license";

    private final BundleContext context;
    private final Duration patience;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    /** @param patience how long to wait for the command processor and the command, as bundles start */
    GogoCommands(BundleContext context, Duration patience, InputStream in, PrintStream out, PrintStream err) {
        this.context = Objects.requireNonNull(context, "context");
        this.patience = Objects.requireNonNull(patience, "patience");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    @Override
    public Optional<String> run(String name, List<String> args) throws Exception {
        CommandProcessor processor = (CommandProcessor) await("(objectClass=" + CommandProcessor.class.getName() + ")",
                "Gogo's command processor (org.apache.felix.gogo.runtime)");
        await("(&(osgi.command.scope=" + SCOPE + ")(osgi.command.function=" + name + "))", "the command " + SCOPE + ":"
                + name + " (is the bundle that contributes it installed, with the services it needs? --verbose shows the log)");
        CommandSession session = processor.createSession(in, out, err);
        try {
            // Each argument goes in as a variable, so that Gogo takes it as it is: a path with spaces,
            // '$' or '{' in it stays one argument, unexpanded.
            StringBuilder line = new StringBuilder(SCOPE).append(':').append(name);
            for (int i = 0; i < args.size(); i++) {
                session.put("arg" + i, args.get(i));
                line.append(" $arg").append(i);
            }
            Object result = session.execute(line);
            return result == null ? Optional.empty()
                    : Optional.of(result instanceof CharSequence text ? text.toString() : session.format(result, Converter.INSPECT).toString());
        } catch (InvocationTargetException e) {
            throw unwrapped(e);
        } finally {
            session.close();
            out.flush();
        }
    }

    /**
     * What the command threw: Gogo hands on what its reflective call caught, wrapped as the call
     * wrapped it, and the command line tells a command's own failure by its type.
     */
    static Exception unwrapped(InvocationTargetException wrapped) {
        Throwable cause = wrapped;
        while (cause instanceof InvocationTargetException invocation && invocation.getCause() != null) {
            cause = invocation.getCause();
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return (Exception) cause;
    }

    /** The service that {@code filter} matches, waiting up to the patience for it. */
    private Object await(String filter, String what) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a command name: " + filter, e);
        }
        tracker.open(true);
        try {
            Object service = tracker.waitForService(patience.toMillis());
            if (service == null) {
                throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR,
                        "no " + what + " within " + patience.toSeconds() + " s");
            }
            return service;
        } finally {
            tracker.close();
        }
    }
}
