package org.licensebackup.launching;

/**
 * What the launcher, outside the framework, and the command line bundle ({@code org.licensebackup.cli}),
 * inside it, agree on: one definition, so that renaming one breaks neither side's compile but both
 * alike. Compile-time constants: the compiler inlines them on both sides, so neither imports this.
 */
public final class LauncherContract {

    /**
     * The service property, {@code true}, that marks the command line among the
     * {@code java.util.function.Function<String[], Integer>} services.
     */
    public static final String COMMAND_LINE_PROPERTY = "licensebackup.command.line";
    /** The framework property that, {@code true}, has the command line show the log on the console. */
    public static final String VERBOSE_PROPERTY = "licensebackup.verbose";

    private LauncherContract() {
    }
}
