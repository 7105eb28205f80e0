package org.licensebackup.baselinecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.events.OperationEventsFactory;
import org.licensebackup.license.License;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.EmbeddedResource;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.osgi.Resource;
import aQute.bnd.version.Version;

/**
 * What bnd-baseline-maven-plugin checks in every bundle's verify, shown on the API and SPI bundles
 * while there is no release for the plugin to compare them with: bndlib's {@link Baseline}, the
 * plugin's own engine, compares each bundle as built with a copy that has a breaking change (a
 * public method taken out of a type of an exported package). Under the package's unchanged version
 * the comparison must fail and ask for the next major version; with that version it must pass; the
 * bundle compared with itself must pass. And every interface of an exported package must say who
 * implements it ({@code @ProviderType} or {@code @ConsumerType}), which is what tells the baseline
 * whether adding a method to it is a minor or a major change.
 */
class ApiBaselineIT {

    private static final Set<String> ROLE_ANNOTATIONS = Set.of("Lorg/osgi/annotation/versioning/ProviderType;",
            "Lorg/osgi/annotation/versioning/ConsumerType;");

    /** The API and SPI bundles, each found through a type it exports. */
    static Stream<Path> apiAndSpiBundles() {
        return Stream.of(BackupRestorer.class, License.class, LicenseManagementService.class, DeviceIdentity.class,
                RightsPolicy.class, OperationEventsFactory.class).map(ApiBaselineIT::bundleOf);
    }

    @ParameterizedTest
    @MethodSource("apiAndSpiBundles")
    void aBundleComparedWithItselfPassesTheBaseline(Path bundle) throws Exception {
        try (Jar built = new Jar(bundle.toFile()); Jar again = new Jar(bundle.toFile())) {
            for (Baseline.Info info : baseline(again, built)) {
                assertFalse(info.mismatch, () -> bundle + ": " + info.packageName + " " + info.reason);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("apiAndSpiBundles")
    void aMethodTakenOutOfAnExportedPackageUnderTheSameVersionFailsTheBaseline(Path bundle) throws Exception {
        forEachPackageWithAMethodTakenOut(bundle, (exported, built, changed, removed) -> {
            Baseline.Info info = infoFor(baseline(changed, built), exported);

            assertTrue(info.mismatch, () -> bundle + ": taking out " + removed + " went unnoticed");
            assertEquals(info.olderVersion.getMajor() + 1, info.suggestedVersion.getMajor(),
                    () -> bundle + ": taking out " + removed + " must ask for a new major version, not "
                            + info.suggestedVersion);
        });
    }

    @ParameterizedTest
    @MethodSource("apiAndSpiBundles")
    void aMethodTakenOutUnderTheNextMajorVersionPassesTheBaseline(Path bundle) throws Exception {
        forEachPackageWithAMethodTakenOut(bundle, (exported, built, changed, removed) -> {
            Version before = exportedVersion(built, exported);
            setExportedVersion(changed, exported, new Version(before.getMajor() + 1, 0, 0));

            Baseline.Info info = infoFor(baseline(changed, built), exported);

            assertFalse(info.mismatch, () -> bundle + ": taking out " + removed + " under "
                    + info.newerVersion + ": " + info.reason);
        });
    }

    /** What a test checks of one exported package, given the bundle as built and a copy with one method taken out. */
    @FunctionalInterface
    private interface ChangedPackageCheck {
        void check(String exported, Jar built, Jar changed, String removed) throws Exception;
    }

    private static void forEachPackageWithAMethodTakenOut(Path bundle, ChangedPackageCheck check) throws Exception {
        for (String exported : exportedPackages(bundle)) {
            try (Jar built = new Jar(bundle.toFile()); Jar changed = new Jar(bundle.toFile())) {
                String removed = removeOnePublicMethod(changed, exported);
                check.check(exported, built, changed, removed);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("apiAndSpiBundles")
    void everyInterfaceOfAnExportedPackageSaysWhoImplementsIt(Path bundle) throws Exception {
        List<String> unmarked = new ArrayList<>();
        try (Jar built = new Jar(bundle.toFile())) {
            for (String exported : exportedPackages(bundle)) {
                for (Map.Entry<String, Resource> entry : classesOf(built, exported).entrySet()) {
                    RoleReader role = new RoleReader();
                    try (InputStream in = entry.getValue().openInputStream()) {
                        new ClassReader(in).accept(role, ClassReader.SKIP_CODE);
                    }
                    if (role.isInterface && !role.marked) {
                        unmarked.add(entry.getKey());
                    }
                }
            }
        }
        assertEquals(List.of(), unmarked, bundle + ": interfaces without @ProviderType or @ConsumerType");
    }

    private static Set<Baseline.Info> baseline(Jar newer, Jar older) throws Exception {
        try (Processor reporter = new Processor()) {
            Set<Baseline.Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
            assertTrue(reporter.isOk(), () -> "the baseline itself failed: " + reporter.getErrors());
            return infos;
        }
    }

    private static Baseline.Info infoFor(Set<Baseline.Info> infos, String exported) {
        return infos.stream().filter(info -> info.packageName.equals(exported)).findFirst()
                .orElseThrow(() -> new AssertionError("no baseline of " + exported + " in " + infos));
    }

    private static Path bundleOf(Class<?> exportedType) {
        try {
            Path location = Path.of(exportedType.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                throw new AssertionError(exportedType.getName() + " comes from " + location
                        + ", not a bundle: run this in mvn verify, after the bundles are packaged");
            }
            return location;
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> exportedPackages(Path bundle) throws Exception {
        try (Jar jar = new Jar(bundle.toFile())) {
            List<String> exported = new ArrayList<>(exports(jar).keySet());
            assertFalse(exported.isEmpty(), bundle + " exports nothing");
            return exported;
        }
    }

    private static Parameters exports(Jar jar) throws Exception {
        return new Parameters(jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
    }

    private static Version exportedVersion(Jar jar, String exported) throws Exception {
        return Version.parseVersion(exports(jar).get(exported).getVersion());
    }

    private static void setExportedVersion(Jar jar, String exported, Version version) throws Exception {
        Parameters exports = exports(jar);
        exports.get(exported).put(Constants.VERSION_ATTRIBUTE, version.toString());
        Manifest manifest = new Manifest(jar.getManifest());
        manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
        jar.setManifest(manifest);
    }

    /** The package's own classes (not its subpackages'), by path in the jar, in name order. */
    private static Map<String, Resource> classesOf(Jar jar, String exported) {
        String directory = exported.replace('.', '/');
        return jar.getDirectories().getOrDefault(directory, Map.of()).entrySet().stream()
                .filter(entry -> entry.getKey().endsWith(".class") && !entry.getKey().endsWith("package-info.class"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    }

    /**
     * Takes the first public method of the first public type of the package that has one out of the
     * jar.
     *
     * @return the method taken out, as Type.name(descriptor)
     */
    private static String removeOnePublicMethod(Jar jar, String exported) throws Exception {
        for (Map.Entry<String, Resource> entry : classesOf(jar, exported).entrySet()) {
            byte[] original;
            try (InputStream in = entry.getValue().openInputStream()) {
                original = in.readAllBytes();
            }
            Optional<String> method = firstPublicMethod(original);
            if (method.isEmpty()) {
                continue;
            }
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(original).accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    return (name + descriptor).equals(method.get()) ? null
                            : super.visitMethod(access, name, descriptor, signature, exceptions);
                }
            }, 0);
            jar.putResource(entry.getKey(), new EmbeddedResource(writer.toByteArray(), entry.getValue().lastModified()));
            return entry.getKey() + " " + method.get();
        }
        throw new AssertionError(exported + " has no public method to take out");
    }

    /** The first public, non-synthetic method of a public type (constructors aside), as name + descriptor. */
    private static Optional<String> firstPublicMethod(byte[] classFile) {
        List<String> found = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            private boolean publicType;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                publicType = (access & Opcodes.ACC_PUBLIC) != 0;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                boolean candidate = publicType && (access & Opcodes.ACC_PUBLIC) != 0
                        && (access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0 && !name.startsWith("<");
                if (candidate) {
                    found.add(name + descriptor);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return found.stream().findFirst();
    }

    /** Whether a class file is an interface (not an annotation) and carries a role annotation. */
    private static final class RoleReader extends ClassVisitor {
        boolean isInterface;
        boolean marked;

        RoleReader() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_ANNOTATION) == 0;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            marked |= ROLE_ANNOTATIONS.contains(descriptor);
            return null;
        }
    }
}
