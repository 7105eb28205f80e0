package org.licensebackup.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product feature in a real Karaf 4.4.10, the distribution from Maven Central: installed with
 * the console commands of the operator's guide (docs/operating.md) right after the README's build command, its bundles active, and
 * the device's identity and licenses kept in the home ({@code ${karaf.base}/licensebackup}) through
 * a reinstall ({@code feature:uninstall}, {@code feature:install}) and a restart with {@code clean};
 * and a backup and a restore through the operator's commands ({@code license:backup},
 * {@code license:restore}), which also show what the test checks ({@code license:status} the
 * device, {@code license:list} the licenses). The licenses are put into the home by the launcher's
 * {@code issue} command, a tool beside Karaf that shares the home (the same device key, the same
 * store file), so no tool enters Karaf.
 *
 * <p>Karaf is started once for the class and stopped at the end whatever happened. Figures (boot,
 * install) are printed, never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafFeatureIT {

    /** Our bundles the product feature lists (mvn:org.licensebackup/ARTIFACT/...), whose symbolic names are their artifact IDs. */
    private static final Pattern OUR_BUNDLE = Pattern.compile("<bundle>mvn:org\\.licensebackup/([^/]+)/");
    private static final String PRODUCT_FEATURE = "license-backup";
    private static final Pattern DEVICE_LINE = Pattern.compile("^device:\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern BACKED_UP = Pattern.compile("^backed up ([0-9,]+) of ([0-9,]+) ", Pattern.MULTILINE);
    private static final Pattern RESTORED = Pattern.compile("^restored ([0-9,]+) of ([0-9,]+) ", Pattern.MULTILINE);
    private static final String PROMPT = "karaf@root()> ";
    /** The operator's guide, whose section "In Karaf" holds the commands an operator types. */
    private static final String OPERATORS_GUIDE = "docs/operating.md";
    /** Where the guide's Karaf commands say "this checkout". */
    private static final String CHECKOUT_PLACEHOLDER = "/path/to/license-backup";
    private static final int LICENSES = 40;
    private static final Duration SERVICE_PATIENCE = Duration.ofSeconds(60);
    private static final Duration LAUNCHER_PATIENCE = Duration.ofMinutes(3);

    private final Path checkout = Path.of(System.getProperty("licensebackup.checkout")).toAbsolutePath().normalize();
    private final Map<String, Long> figures = new TreeMap<>();
    private Karaf karaf;
    private Path home;
    private String deviceId;
    private List<String> keyIds;

    @BeforeAll
    void boot() throws Exception {
        karaf = Karaf.copy(Path.of(System.getProperty("karaf.dist")), Path.of(System.getProperty("karaf.run")).toAbsolutePath(),
                Path.of(System.getProperty("maven.local.repository")));
        home = karaf.base().resolve("licensebackup");
        figures.put("boot", karaf.start(false).toMillis());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            System.out.println("Karaf 4.4.10 figures (ms): " + figures);
        }
    }

    @Test
    @Order(1)
    void theReadmesCommandsInstallTheProductFeatureWithEveryBundleActiveAndNoTool() throws Exception {
        figures.put("install", timed(() -> karaf.console(documentedInstallCommands())));

        assertEquals(productBundles(), activeLicenseBackupBundles());
    }

    @Test
    @Order(2)
    void theDeviceKeyAndTheStoreLiveInTheHomeNotInKarafsDataFolder() throws Exception {
        deviceId = deviceId();
        assertTrue(deviceId.matches("[A-Za-z0-9_-]{22}"), deviceId);
        assertEquals(List.of(), listedKeyIds());

        assertTrue(Files.isRegularFile(home.resolve("device.key")));
        assertTrue(Files.isRegularFile(home.resolve("licenses.db")));
        assertEquals(List.of(), filesNamed(karaf.data(), "device.key", "licenses.db"));
    }

    @Test
    @Order(3)
    void licensesPutIntoTheHomeAreTheStoresLicenses() throws Exception {
        Path issuerKey = karaf.base().resolve("issuer.key");
        String issued = launcher("issue", Integer.toString(LICENSES), "--issuer", issuerKey.toString());
        keyIds = listedKeyIds();

        assertEquals(LICENSES, keyIds.size(), issued);
        assertEquals(deviceId, deviceId());
    }

    @Test
    @Order(4)
    void aReinstallKeepsTheDeviceAndItsLicenses() throws Exception {
        figures.put("uninstall", timed(() -> karaf.console("feature:uninstall license-backup")));
        assertEquals(Set.of(), licenseBackupBundles().keySet());

        figures.put("reinstall", timed(() -> karaf.console(featureInstallCommand())));

        assertEquals(productBundles(), activeLicenseBackupBundles());
        assertEquals(deviceId, deviceId());
        assertEquals(keyIds, listedKeyIds());
    }

    @Test
    @Order(5)
    void aRestartWithCleanKeepsTheDeviceAndItsLicenses() throws Exception {
        figures.put("stop", karaf.stop().toMillis());
        figures.put("boot clean", karaf.start(true).toMillis());
        // clean deleted data/: the KAR and the installed feature are gone with it
        assertEquals(Set.of(), licenseBackupBundles().keySet());
        assertFalse(karaf.console("feature:repo-list").contains("licensebackup"));

        figures.put("install after clean", timed(() -> karaf.console(documentedInstallCommands())));

        assertEquals(productBundles(), activeLicenseBackupBundles());
        assertEquals(deviceId, deviceId());
        assertEquals(keyIds, listedKeyIds());
        assertEquals(List.of(), filesNamed(karaf.data(), "device.key", "licenses.db"));
    }

    @Test
    @Order(6)
    void aLostStoreComesBackFromABackupMadeWithTheShellCommands() throws Exception {
        Path backup = karaf.base().resolve("backups").resolve("nightly");
        Matcher backedUp = matched(BACKED_UP, karaf.console("license:backup " + backup));
        long taken = count(backedUp.group(1));
        assertEquals(LICENSES, count(backedUp.group(2)));
        assertTrue(taken > 0 && taken < LICENSES, backedUp.group());
        // the store is lost; the device (its key) is not
        karaf.console("feature:uninstall license-backup");
        try (Stream<Path> store = Files.list(home)) {
            for (Path file : store.filter(file -> file.getFileName().toString().startsWith("licenses.db")).toList()) {
                Files.delete(file);
            }
        }
        karaf.console(featureInstallCommand());
        assertEquals(List.of(), listedKeyIds());

        Matcher restored = matched(RESTORED, karaf.console("license:restore " + backup));

        System.out.println("in Karaf: " + backedUp.group().strip() + "; " + restored.group().strip());
        assertEquals(taken, count(restored.group(1)));
        List<String> back = listedKeyIds();
        assertEquals(taken, back.size());
        assertTrue(keyIds.containsAll(back), back::toString);
        assertEquals(deviceId, deviceId());
    }

    /**
     * The operator's guide's Karaf install commands: the lines after its prompt {@value #PROMPT} in
     * the first code block of its section "In Karaf", with this checkout for {@value #CHECKOUT_PLACEHOLDER}.
     */
    private String[] documentedInstallCommands() throws IOException {
        List<String> lines = Files.readAllLines(checkout.resolve(OPERATORS_GUIDE));
        int section = lines.indexOf("## In Karaf");
        assertTrue(section >= 0, OPERATORS_GUIDE + " has no section \"## In Karaf\"");
        int block = section;
        while (!lines.get(block).startsWith("```")) {
            block++;
        }
        List<String> commands = new ArrayList<>();
        for (int line = block + 1; !lines.get(line).startsWith("```"); line++) {
            if (lines.get(line).startsWith(PROMPT)) {
                commands.add(lines.get(line).substring(PROMPT.length()).replace(CHECKOUT_PLACEHOLDER, checkout.toString()).strip());
            }
        }
        assertTrue(commands.stream().anyMatch(command -> command.startsWith("kar:install file:" + checkout)), commands::toString);
        return commands.toArray(String[]::new);
    }

    /** The guide's {@code feature:install} line: what a reinstall runs once the KAR is there. */
    private String featureInstallCommand() throws IOException {
        return Stream.of(documentedInstallCommands()).filter(command -> command.startsWith("feature:install ")).findFirst()
                .orElseThrow(() -> new AssertionError(OPERATORS_GUIDE + " installs no feature"));
    }

    /** The device ID that {@code license:status} shows. */
    private String deviceId() throws Exception {
        return matched(DEVICE_LINE, shell("license:status")).group(1);
    }

    /** The key IDs that {@code license:list} shows, in its order. */
    private List<String> listedKeyIds() throws Exception {
        return shell("license:list").lines().filter(line -> line.contains("  [")).map(line -> line.strip().split("\\s+", 2)[0])
                .toList();
    }

    /**
     * Runs a shell command that changes nothing, again for a while if it fails: after a
     * feature:install, the commands' component may not be registered yet. A backup or a restore is
     * run once, after such a command.
     */
    private String shell(String command) throws Exception {
        long deadline = System.nanoTime() + SERVICE_PATIENCE.toNanos();
        while (true) {
            try {
                return karaf.console(command);
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Matcher matched(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        assertTrue(matcher.find(), () -> "no line matches " + pattern + " in:\n" + output);
        return matcher;
    }

    private static long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private Set<String> activeLicenseBackupBundles() throws Exception {
        Map<String, String> bundles = licenseBackupBundles();
        bundles.forEach((name, state) -> assertEquals("Active", state, name + " is " + state));
        return bundles.keySet();
    }

    /** Our bundles in Karaf, by symbolic name, with their state. */
    private Map<String, String> licenseBackupBundles() throws Exception {
        Map<String, String> bundles = new TreeMap<>();
        for (String line : karaf.console("bundle:list -s -t 0").split("\\R")) {
            String[] columns = line.split("\\|");
            if (columns.length >= 5 && columns[4].strip().startsWith("org.licensebackup.")) {
                bundles.put(columns[4].strip(), columns[1].strip());
            }
        }
        return bundles;
    }

    /** Runs the launcher jar on Karaf's home, as a tool beside Karaf. */
    private String launcher(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", checkout.resolve("launcher/target/license-backup.jar").toString(),
                "--home", home.toString()));
        line.addAll(List.of(command));
        Processes.Result result = Processes.run(new ProcessBuilder(line), "", karaf.base(), LAUNCHER_PATIENCE);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + " failed:\n" + result.output());
        return result.output();
    }

    private static List<Path> filesNamed(Path root, String... names) throws IOException {
        Set<String> wanted = new TreeSet<>(List.of(names));
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> wanted.contains(path.getFileName().toString())).toList();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** The product feature's bundles, as features/src/main/feature/feature.xml lists them: nothing more (no tool), nothing less. */
    private Set<String> productBundles() throws IOException {
        String features = Files.readString(checkout.resolve("features/src/main/feature/feature.xml"));
        Matcher feature = Pattern.compile("(?s)<feature name=\"" + PRODUCT_FEATURE + "\".*?(?=<feature name=|</features>)").matcher(features);
        assertTrue(feature.find(), "feature.xml has the feature " + PRODUCT_FEATURE);
        Set<String> bundles = new TreeSet<>();
        Matcher bundle = OUR_BUNDLE.matcher(feature.group());
        while (bundle.find()) {
            bundles.add(bundle.group(1));
        }
        assertFalse(bundles.isEmpty(), "the product feature lists our bundles");
        return bundles;
    }
}
