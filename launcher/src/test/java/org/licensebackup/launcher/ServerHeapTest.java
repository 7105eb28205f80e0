package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ServerHeapTest {

    private static final String[] ARGS = {"--home", "/srv/lms", "server", "--port", "8480"};
    private static final List<String> COMMAND = List.of("server", "--port", "8480");
    private static final boolean THIS_JVM_LIMITED = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(ServerHeap::limitsHeap);

    @Test
    void theServerRunsInAJvmOfItsOwnWithTheDefaultHeapLimitAndTheSameArguments() {
        Optional<List<String>> jvm = ServerHeap.serverJvm(COMMAND, ARGS, Map.of());
        if (THIS_JVM_LIMITED) {
            assertEquals(Optional.empty(), jvm, "a limit given to the launcher's JVM is kept");
            return;
        }
        List<String> command = jvm.orElseThrow();
        assertTrue(command.contains("-Xmx" + ServerHeap.DEFAULT_HEAP), command::toString);
        assertEquals(List.of(Main.class.getName(), "--home", "/srv/lms", "server", "--port", "8480"),
                command.subList(command.size() - 6, command.size()));
    }

    @Test
    void anotherLimitComesFromTheEnvironment() {
        Optional<List<String>> jvm = ServerHeap.serverJvm(COMMAND, ARGS, Map.of(ServerHeap.HEAP_VARIABLE, "1g"));
        assertEquals(!THIS_JVM_LIMITED, jvm.map(command -> command.contains("-Xmx1g")).orElse(false));
    }

    @Test
    void anythingButTheServerAndTheServersOwnJvmRunHere() {
        assertEquals(Optional.empty(), ServerHeap.serverJvm(List.of("backup", "/tmp/b"), new String[] {"backup", "/tmp/b"}, Map.of()));
        assertEquals(Optional.empty(), ServerHeap.serverJvm(COMMAND, ARGS, Map.of(ServerHeap.PARENT_VARIABLE, "1234")));
    }

    @Test
    void aHeapLimitIsToldFromOtherOptions() {
        assertTrue(ServerHeap.limitsHeap("-Xmx2g"));
        assertTrue(ServerHeap.limitsHeap("-XX:MaxRAMPercentage=50"));
        assertTrue(ServerHeap.limitsHeap("-XX:MaxHeapSize=1073741824"));
        assertFalse(ServerHeap.limitsHeap("-Xms64m"));
        assertFalse(ServerHeap.limitsHeap("-XX:TieredStopAtLevel=1"));
    }
}
