package org.licensebackup.configdocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference from the product's bundles (the runtime's list, on this test's class path): written
 * into target/ in every build, and compared with docs/configuration.md, which must not drift.
 */
class ConfigurationReferenceTest {

    private static final String PRODUCT = "org.licensebackup.";
    private static List<ConfigurationReference.Bundle> bundles;

    @BeforeAll
    static void readTheBundles() throws IOException, URISyntaxException {
        bundles = new ArrayList<>();
        for (URL manifest : Collections.list(ConfigurationReferenceTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            ConfigurationReference.Bundle bundle = ConfigurationReference.read(location(manifest));
            if (bundle.symbolicName().startsWith(PRODUCT)) {
                bundles.add(bundle);
            }
        }
    }

    /** The jar, or the folder of classes, that holds {@code manifest}. */
    private static Path location(URL manifest) throws IOException, URISyntaxException {
        if (manifest.getProtocol().equals("jar")) {
            return Path.of(((JarURLConnection) manifest.openConnection()).getJarFileURL().toURI());
        }
        return Path.of(manifest.toURI()).getParent().getParent();
    }

    @Test
    void everyConfiguredComponentHasMetatypeAndEveryPropertyADescription() {
        assertTrue(bundles.size() >= 10, () -> "the product's bundles are on the class path: " + bundles);
        assertEquals(List.of(), ConfigurationReference.problems(bundles));
    }

    @Test
    void theCommittedReferenceIsWhatTheBundlesDeclare() throws IOException {
        String generated = ConfigurationReference.markdown(bundles);
        Path written = Path.of(System.getProperty("configuration.reference.generated", "target/configuration.md"));
        Files.createDirectories(written.toAbsolutePath().getParent());
        Files.writeString(written, generated, StandardCharsets.UTF_8);
        Path committed = Path.of(System.getProperty("configuration.reference", "../../docs/configuration.md"));
        if (Boolean.getBoolean("configuration.reference.update")) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), committed + " is missing: build with -Dconfiguration.reference.update=true");
        assertEquals(Files.readString(committed, StandardCharsets.UTF_8), generated, committed + " drifted from the bundles' metatype"
                + " (the build wrote what they declare to " + written + "): build with -Dconfiguration.reference.update=true and commit it");
    }

    @Test
    void listsEveryPidThatAComponentReads() {
        Set<String> configured = new TreeSet<>();
        bundles.forEach(bundle -> configured.addAll(bundle.configuredPids()));
        String reference = ConfigurationReference.markdown(bundles);
        assertFalse(configured.isEmpty());
        for (String pid : configured) {
            assertTrue(reference.contains("\n## " + pid + "\n"), pid);
        }
    }

    @Test
    void findsAPidWithoutMetatypeAndAPropertyWithoutDescription() {
        ConfigurationReference.Property described = new ConfigurationReference.Property("a", "String", false, "", true, "What a is", "",
                "", List.of());
        ConfigurationReference.Property bare = new ConfigurationReference.Property("b", "Integer", false, "1", true, "", "", "", List.of());
        ConfigurationReference.Bundle bundle = new ConfigurationReference.Bundle("x",
                List.of(new ConfigurationReference.Pid("x.one", false, "x", "One", "The first", List.of(described, bare))),
                Set.of("x.one", "x.two"));
        assertEquals(List.of("x: x.one b has no description (@AttributeDefinition(description = ...))",
                "x: a component is configured by x.two but no metatype describes it (@Designate and @ObjectClassDefinition)"),
                ConfigurationReference.problems(List.of(bundle)));
    }
}
