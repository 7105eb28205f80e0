package org.licensebackup.device;

/**
 * The device record cannot be read (missing where the device had one, damaged, or another device's)
 * or written. Its message says which file, what is wrong and what the user can do.
 *
 * @since 1.2
 */
public class DeviceRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeviceRecordException(String message) {
        super(message);
    }

    public DeviceRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
