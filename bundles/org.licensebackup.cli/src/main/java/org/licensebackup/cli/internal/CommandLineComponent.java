package org.licensebackup.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.licensebackup.launching.LauncherContract;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Runs a command line inside the framework for a launcher outside it. Registered as a
 * {@code java.util.function.Function<String[], Integer>}, a type both sides load from the JDK, with
 * {@value #COMMAND_LINE_PROPERTY}{@code =true}; {@link #apply} answers the exit code. The commands
 * other bundles contribute ({@code license:*}) run through Gogo's command processor; this bundle
 * imports no package of theirs, only the API's, and writes no configuration of theirs: the commands
 * that configure the host ({@code connect}, {@code store}) are the Gogo commands of the bundles they
 * configure.
 *
 * <p>Immediate, so that the launcher finds the command line as soon as the framework has started it.
 */
@Component(immediate = true, service = Function.class, property = CommandLineComponent.COMMAND_LINE_PROPERTY + "=true")
public final class CommandLineComponent implements Function<String[], Integer> {

    /** The service property that marks the command line among other functions. */
    public static final String COMMAND_LINE_PROPERTY = LauncherContract.COMMAND_LINE_PROPERTY;
    /** How long a command waits for Gogo and for the bundle that contributes it, as the framework starts. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Released when the component goes, which ends a {@code server} command's wait. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final BundleContext context;

    @Activate
    public CommandLineComponent(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the exit code: 0 done, 1 failed, 2 bad command line */
    @Override
    public Integer apply(String[] args) {
        // The process's own output, not System.out: Gogo's runtime replaces System.out with a stream
        // that writes to the session of the thread that runs a command, and a session that wrote
        // to that stream would write to itself.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        Services services = new Services(new GogoCommands(context, PATIENCE, InputStream.nullInputStream(), out, err), this::awaitStop);
        return new CommandLine(services, out, err).run(args);
    }
}
