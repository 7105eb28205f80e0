package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;

import org.junit.jupiter.api.Test;

class ComponentFailuresTest {

    @Test
    void tellsTheComponentsOwnMessageFromUnderTheLayersWrappedAroundIt() {
        IllegalStateException cause = new IllegalStateException("the device key file /h/device.key is damaged: put back a good copy");
        String trace = stackTrace(new RuntimeException("activation failed", new InvocationTargetException(cause)));

        assertEquals("the device key file /h/device.key is damaged: put back a good copy",
                ComponentFailures.rootCauseMessage(trace));
    }

    @Test
    void prefersOurOwnExceptionWhichNamesTheFileToTheLibrarysUnderIt() {
        Exception library = new IllegalStateException("Store header is corrupt [2.3.232/6]");
        Exception ours = new ComponentFailuresTest.OwnException("cannot open the license store /h/licenses.mv.db: "
                + library.getMessage(), library);
        String trace = stackTrace(new RuntimeException("activation failed", new InvocationTargetException(ours)));

        assertEquals("cannot open the license store /h/licenses.mv.db: Store header is corrupt [2.3.232/6]",
                ComponentFailures.rootCauseMessage(trace));
    }

    /** An exception of this product's packages, as a store's or a key file's is. */
    private static final class OwnException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        OwnException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void tellsTheMessageOfAFailureWithoutCause() {
        assertEquals("cannot open the license store /h/licenses.mv.db: Inconsistent occupancy info",
                ComponentFailures.rootCauseMessage(stackTrace(new IllegalStateException(
                        "cannot open the license store /h/licenses.mv.db: Inconsistent occupancy info"))));
    }

    @Test
    void keepsAnInnermostLineThatIsNoExceptionWithAMessage() {
        assertEquals("java.lang.NullPointerException", ComponentFailures.rootCauseMessage(stackTrace(
                new RuntimeException("outer", new NullPointerException()))));
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
