package org.licensebackup.configdocs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The configuration reference, made from what the bundles themselves declare: each PID's metatype
 * ({@code OSGI-INF/metatype/*.xml}, which bnd writes from a component's {@code @ObjectClassDefinition}
 * and {@code @Designate}), and, to find a configured component without one, the PIDs their
 * Declarative Services descriptors name. {@code main(OUTPUT, BUNDLE...)} writes it; a bundle is a
 * jar or a folder of classes with its manifest.
 */
public final class ConfigurationReference {

    /** One configuration property, as its attribute definition ({@code AD}) declares it. */
    public record Property(String id, String type, boolean list, String defaultValue, boolean required, String description,
            String min, String max, List<String> options) {
    }

    /** A PID (or factory PID) and the object class definition designated for it. */
    public record Pid(String pid, boolean factory, String bundle, String name, String description, List<Property> properties) {
    }

    /**
     * What one bundle declares.
     *
     * @param configuredPids the configuration PIDs its components name explicitly ({@code configuration-pid})
     */
    public record Bundle(String symbolicName, List<Pid> designated, Set<String> configuredPids) {
    }

    private ConfigurationReference() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ConfigurationReference OUTPUT BUNDLE...");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (String location : Arrays.asList(args).subList(1, args.length)) {
            bundles.add(read(Path.of(location)));
        }
        List<String> problems = problems(bundles);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        Files.writeString(Path.of(args[0]), markdown(bundles), StandardCharsets.UTF_8);
    }

    /** What the bundle at {@code location}, a jar or a folder with {@code META-INF/MANIFEST.MF}, declares. */
    public static Bundle read(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            return read(location, location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return read(jar.getPath("/"), location);
        }
    }

    private static Bundle read(Path root, Path location) throws IOException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(root.resolve("META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        String symbolicName = String.valueOf(manifest.getMainAttributes().getValue("Bundle-SymbolicName")).split(";", 2)[0].strip();
        List<Pid> designated = new ArrayList<>();
        Path metatype = root.resolve("OSGI-INF/metatype");
        if (Files.isDirectory(metatype)) {
            try (Stream<Path> files = Files.list(metatype)) {
                for (Path file : files.filter(file -> file.toString().endsWith(".xml")).sorted().toList()) {
                    designated.addAll(designations(parse(file, location), symbolicName));
                }
            }
        }
        Set<String> configured = new TreeSet<>();
        String components = manifest.getMainAttributes().getValue("Service-Component");
        if (components != null) {
            for (String descriptor : components.split(",")) {
                Path file = root.resolve(descriptor.strip());
                NodeList found = parse(file, location).getElementsByTagNameNS("*", "component");
                for (int i = 0; i < found.getLength(); i++) {
                    String pids = ((Element) found.item(i)).getAttribute("configuration-pid");
                    configured.addAll(Arrays.stream(pids.split("\\s+")).filter(pid -> !pid.isEmpty()).toList());
                }
            }
        }
        return new Bundle(symbolicName, designated, configured);
    }

    private static List<Pid> designations(Document metatype, String bundle) {
        Map<String, Element> definitions = new LinkedHashMap<>();
        for (Element ocd : elements(metatype.getDocumentElement(), "OCD")) {
            definitions.put(ocd.getAttribute("id"), ocd);
        }
        List<Pid> pids = new ArrayList<>();
        for (Element designate : elements(metatype.getDocumentElement(), "Designate")) {
            boolean factory = !designate.getAttribute("factoryPid").isEmpty();
            String pid = factory ? designate.getAttribute("factoryPid") : designate.getAttribute("pid");
            for (Element object : elements(designate, "Object")) {
                Element ocd = definitions.get(object.getAttribute("ocdref"));
                if (ocd == null) {
                    throw new IllegalStateException(bundle + ": the metatype of " + pid + " names no OCD " + object.getAttribute("ocdref"));
                }
                List<Property> properties = elements(ocd, "AD").stream().map(ConfigurationReference::property).toList();
                pids.add(new Pid(pid, factory, bundle, ocd.getAttribute("name"), ocd.getAttribute("description"), properties));
            }
        }
        return pids;
    }

    private static Property property(Element ad) {
        String cardinality = ad.getAttribute("cardinality");
        List<String> options = elements(ad, "Option").stream().map(option -> option.getAttribute("value")).toList();
        return new Property(ad.getAttribute("id"), ad.getAttribute("type"), !cardinality.isEmpty() && !cardinality.equals("0"),
                ad.hasAttribute("default") ? ad.getAttribute("default") : null, !"false".equals(ad.getAttribute("required")),
                ad.getAttribute("description"), ad.getAttribute("min"), ad.getAttribute("max"), options);
    }

    /**
     * What keeps the reference from being whole: a component's PID without metatype, a PID or a
     * property without a description.
     */
    public static List<String> problems(List<Bundle> bundles) {
        List<String> problems = new ArrayList<>();
        Set<String> designated = new TreeSet<>();
        for (Bundle bundle : bundles) {
            for (Pid pid : bundle.designated()) {
                designated.add(pid.pid());
                if (pid.description().isBlank()) {
                    problems.add(bundle.symbolicName() + ": " + pid.pid() + " has no description (@ObjectClassDefinition(description = ...))");
                }
                for (Property property : pid.properties()) {
                    if (property.description().isBlank()) {
                        problems.add(bundle.symbolicName() + ": " + pid.pid() + " " + property.id()
                                + " has no description (@AttributeDefinition(description = ...))");
                    }
                }
            }
        }
        for (Bundle bundle : bundles) {
            for (String pid : bundle.configuredPids()) {
                if (!designated.contains(pid)) {
                    problems.add(bundle.symbolicName() + ": a component is configured by " + pid
                            + " but no metatype describes it (@Designate and @ObjectClassDefinition)");
                }
            }
        }
        return problems;
    }

    /** The reference in Markdown: one section per PID, in the order of their names. */
    public static String markdown(List<Bundle> bundles) {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append("Every PID that the bundles read, with each property's type, default and meaning. Generated from the\n");
        out.append("bundles' metatype (`OSGI-INF/metatype/*.xml`, which bnd writes from each component's\n");
        out.append("`@ObjectClassDefinition`) by `tools/org.licensebackup.configdocs`: do not edit it by hand. Its test fails\n");
        out.append("when this file and the bundles disagree; to write it anew:\n\n");
        out.append("    mvn -B -o verify -pl tools/org.licensebackup.configdocs -Dconfiguration.reference.update=true\n\n");
        out.append("A property whose name starts with a dot is private: Declarative Services does not publish it among\n");
        out.append("the service's properties. A factory PID takes any number of configurations, one per instance.\n");
        List<Pid> pids = bundles.stream().flatMap(bundle -> bundle.designated().stream())
                .sorted(Comparator.comparing(Pid::pid)).toList();
        out.append("\n| PID | bundle | what it configures |\n|---|---|---|\n");
        for (Pid pid : pids) {
            out.append("| [`").append(pid.pid()).append("`](#").append(pid.pid().replace(".", "")).append(")")
                    .append(pid.factory() ? " (factory)" : "").append(" | ").append(pid.bundle()).append(" | ").append(cell(pid.name()))
                    .append(" |\n");
        }
        for (Pid pid : pids) {
            out.append("\n## ").append(pid.pid()).append("\n\n");
            out.append(pid.factory() ? "Factory PID" : "PID").append(" of the bundle `").append(pid.bundle()).append("`: **")
                    .append(pid.name()).append("**. ").append(sentence(pid.description())).append("\n\n");
            out.append("| property | type | default | description |\n|---|---|---|---|\n");
            for (Property property : pid.properties()) {
                out.append("| `").append(property.id()).append("` | ").append(type(property)).append(" | ").append(defaultOf(property))
                        .append(" | ").append(cell(description(property))).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String type(Property property) {
        String type = property.type().equals("Password") ? "String (secret)" : property.type();
        return property.list() ? "list of " + type : type;
    }

    private static String defaultOf(Property property) {
        if (property.defaultValue() == null) {
            return property.required() ? "*(required)*" : "*(none)*";
        }
        return property.defaultValue().isEmpty() ? "*(empty)*" : "`" + cell(property.defaultValue()) + "`";
    }

    private static String description(Property property) {
        String described = sentence(property.description());
        List<String> bounds = new ArrayList<>();
        if (!property.min().isEmpty()) {
            bounds.add("at least " + property.min());
        }
        if (!property.max().isEmpty()) {
            bounds.add("at most " + property.max());
        }
        if (!property.options().isEmpty()) {
            bounds.add("one of " + String.join(", ", property.options()));
        }
        if (bounds.isEmpty()) {
            return described;
        }
        String bare = described.endsWith(".") ? described.substring(0, described.length() - 1) : described;
        return bare + " (" + String.join(", ", bounds) + ").";
    }

    private static String sentence(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() || stripped.endsWith(".") || stripped.endsWith("?") ? stripped : stripped + ".";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static List<Element> elements(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document parse(Path file, Path location) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(location + ": " + file + " is not well-formed: " + e.getMessage(), e);
        }
    }
}
