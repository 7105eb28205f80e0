package org.licensebackup.lms.server.internal;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code license:support ...}: the support console's look-ups and actions for a Gogo or Karaf
 * console of the framework the server runs in, through the same {@link SupportDesk}:
 * <pre>
 * license:support license KEY-ID
 * license:support device DEVICE-ID
 * license:support free KEY-ID DEVICE-ID --reason TEXT [--by NAME]
 * license:support free-device DEVICE-ID --reason TEXT [--by NAME]
 * license:support today
 * </pre>
 * The audit names {@code --by}, or {@code shell:} and the user the framework runs as. A failure is
 * one {@code CODE: message} line ({@link SupportException}); a command line it does not take, an
 * {@link IllegalArgumentException}, as Gogo reports arguments it cannot take.
 */
public final class SupportCommand {

    static final String USAGE = "support license KEY-ID | device DEVICE-ID | free KEY-ID DEVICE-ID --reason TEXT [--by NAME]"
            + " | free-device DEVICE-ID --reason TEXT [--by NAME] | today";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final SupportDesk desk;
    private final Supplier<PrintStream> out;

    SupportCommand(SupportDesk desk) {
        // System.out when the command runs: Gogo points it at the session of the thread that runs a command.
        this(desk, () -> System.out);
    }

    SupportCommand(SupportDesk desk, Supplier<PrintStream> out) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.out = Objects.requireNonNull(out, "out");
    }

    static Dictionary<String, Object> properties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "license");
        properties.put("osgi.command.function", "support");
        return properties;
    }

    public void support(String... args) {
        List<String> words = List.of(args == null ? new String[0] : args);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        PrintStream print = out.get();
        String what = words.get(0);
        List<String> rest = words.subList(1, words.size());
        switch (what) {
            case "license" -> printLicense(print, desk.license(only(rest, "license KEY-ID")));
            case "device" -> printDevice(print, desk.device(only(rest, "device DEVICE-ID")));
            case "free" -> {
                Action action = Action.parse(rest, 2, "free KEY-ID DEVICE-ID --reason TEXT [--by NAME]");
                SupportDesk.AuditEntry entry = desk.freeSlot(action.by(), action.operands().get(0), action.operands().get(1), action.reason());
                print.println("freed: " + line(entry));
            }
            case "free-device" -> {
                Action action = Action.parse(rest, 1, "free-device DEVICE-ID --reason TEXT [--by NAME]");
                List<SupportDesk.AuditEntry> entries = desk.freeDevice(action.by(), action.operands().get(0), action.reason());
                print.println("freed " + entries.size() + (entries.size() == 1 ? " slot" : " slots") + " of device " + action.operands().get(0));
                entries.forEach(entry -> print.println("  " + line(entry)));
            }
            case "today" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("usage: support today");
                }
                SupportDesk.Today today = desk.today();
                print.println("today, " + today.date() + " (UTC):");
                for (Map.Entry<String, Long> count : today.counts().entrySet()) {
                    print.println("  " + count.getKey() + " " + count.getValue());
                }
            }
            default -> throw new IllegalArgumentException("support: unknown action " + what + "; usage: " + USAGE);
        }
        print.flush();
    }

    private static void printLicense(PrintStream print, SupportDesk.LicenseView license) {
        print.println("license " + license.keyId() + ": " + license.title().orElse("(title not recorded)") + ", issuer "
                + license.issuer().orElse("(not recorded)"));
        print.println("devices " + license.holders().size() + " of " + license.deviceLimit() + ", allowance left " + license.allowanceLeft());
        for (SupportDesk.Holder holder : license.holders()) {
            print.println("  " + holder.deviceId() + "  since " + holder.since().map(TIME::format).orElse("(before times were kept)"));
        }
        license.audit().forEach(entry -> print.println("audit " + line(entry)));
    }

    private static void printDevice(PrintStream print, SupportDesk.DeviceView device) {
        print.println("device " + device.deviceId() + ": " + device.licenses().size() + " licenses");
        for (SupportDesk.Held held : device.licenses()) {
            print.println("  " + held.keyId() + "  " + held.title().orElse("") + "  since "
                    + held.since().map(TIME::format).orElse("(before times were kept)"));
        }
        device.history().forEach(entry -> print.println("audit " + line(entry)));
    }

    private static String line(SupportDesk.AuditEntry entry) {
        return "#" + entry.id() + " " + TIME.format(entry.at()) + " " + entry.operator() + " " + entry.action() + " device "
                + entry.deviceId() + " license " + entry.keyId() + ": " + entry.reason();
    }

    private static String only(List<String> rest, String usage) {
        if (rest.size() != 1) {
            throw new IllegalArgumentException("usage: support " + usage);
        }
        return rest.get(0);
    }

    /** A freeing's operands, reason and operator. */
    private record Action(List<String> operands, String reason, String by) {

        static Action parse(List<String> words, int operandCount, String usage) {
            List<String> operands = new java.util.ArrayList<>();
            String reason = null;
            String by = "shell:" + System.getProperty("user.name", "unknown");
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                if (word.equals("--reason") || word.equals("--by")) {
                    if (i + 1 >= words.size()) {
                        throw new IllegalArgumentException("support " + word + ": give a value; usage: support " + usage);
                    }
                    String value = words.get(++i);
                    if (word.equals("--reason")) {
                        reason = value;
                    } else {
                        by = value;
                    }
                } else if (word.startsWith("--")) {
                    throw new IllegalArgumentException("support: unknown option " + word + "; usage: support " + usage);
                } else {
                    operands.add(word);
                }
            }
            if (operands.size() != operandCount || reason == null) {
                throw new IllegalArgumentException("usage: support " + usage + " (given: " + String.join(" ", Arrays.asList(words.toArray(String[]::new))) + ")");
            }
            return new Action(operands, reason, by);
        }
    }
}
