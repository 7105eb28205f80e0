package org.licensebackup.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Karaf features install the runtime that the launcher runs and the container tests provision:
 * the one list in {@code runtime/pom.xml}. A bundle that joins the runtime without joining a feature,
 * a feature bundle the runtime does not know, or a tool in a product feature fails here.
 */
class FeaturesMatchRuntimeIT {

    private static final String OUR_GROUP = "org.licensebackup";
    private static final List<String> PRODUCT_FEATURES = List.of("license-backup", "license-server", "license-store-postgres");
    private static final String TOOLS_FEATURE = "license-backup-tools";
    private static final Pattern MAVEN_URL = Pattern.compile("mvn:([^/]+)/([^/]+)/.*");

    private final Path projectRoot = Path.of(System.getProperty("licensebackup.itest.project.root", "..")).toAbsolutePath();

    @Test
    void everyBundleOfTheProductFeaturesIsInTheRuntime() throws Exception {
        Set<String> runtime = runtimeList();
        Set<String> notInRuntime = new TreeSet<>();
        for (String feature : PRODUCT_FEATURES) {
            featureBundles(feature).stream().filter(bundle -> !runtime.contains(bundle)).forEach(notInRuntime::add);
        }
        assertEquals(Set.of(), notInRuntime, "bundles of the product features that runtime/pom.xml does not list");
    }

    @Test
    void everyProductBundleOfTheRuntimeIsInAProductFeature() throws Exception {
        Set<String> inFeatures = new TreeSet<>();
        for (String feature : PRODUCT_FEATURES) {
            inFeatures.addAll(featureBundles(feature));
        }
        Set<String> missing = new TreeSet<>();
        runtimeList().stream().filter(bundle -> bundle.startsWith(OUR_GROUP + ":"))
                .filter(bundle -> !inFeatures.contains(bundle)).forEach(missing::add);
        assertEquals(Set.of(), missing, "product bundles of runtime/pom.xml that no product feature installs");
    }

    @Test
    void theToolsFeatureHoldsToolsOnly() throws Exception {
        Set<String> runtime = runtimeList();
        List<String> tools = featureBundles(TOOLS_FEATURE);
        assertTrue(!tools.isEmpty(), "the tools feature lists its bundles");
        assertEquals(List.of(), tools.stream().filter(runtime::contains).toList(),
                "bundles of the runtime belong in a product feature, not in " + TOOLS_FEATURE);
    }

    /** groupId:artifactId of every dependency of runtime/pom.xml. */
    private Set<String> runtimeList() throws Exception {
        Document pom = parse(projectRoot.resolve("runtime").resolve("pom.xml"));
        Element dependencies = (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
        Set<String> list = new TreeSet<>();
        NodeList each = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < each.getLength(); i++) {
            Element dependency = (Element) each.item(i);
            list.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
        }
        assertTrue(list.size() > 10, "runtime/pom.xml lists the runtime: " + list);
        return list;
    }

    /** groupId:artifactId of every bundle the feature lists itself (not those of the features it includes). */
    private List<String> featureBundles(String name) throws Exception {
        Document features = parse(projectRoot.resolve("features").resolve("src").resolve("main").resolve("feature").resolve("feature.xml"));
        NodeList all = features.getDocumentElement().getElementsByTagName("feature");
        for (int i = 0; i < all.getLength(); i++) {
            Element feature = (Element) all.item(i);
            if (name.equals(feature.getAttribute("name"))) {
                List<String> bundles = new ArrayList<>();
                NodeList each = feature.getElementsByTagName("bundle");
                for (int j = 0; j < each.getLength(); j++) {
                    Matcher url = MAVEN_URL.matcher(each.item(j).getTextContent().trim());
                    assertTrue(url.matches(), "a feature names its bundles by mvn: URL: " + each.item(j).getTextContent());
                    bundles.add(url.group(1) + ":" + url.group(2));
                }
                return bundles;
            }
        }
        throw new AssertionError("feature.xml has no feature " + name);
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }
}
