package org.licensebackup.license;

/** A license, or a part of one, that is not of the documented form. */
public class MalformedLicenseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MalformedLicenseException(String message) {
        super(message);
    }
}
