package org.licensebackup.device.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * {@code license:newdevice}: the explicit way to make this home a new device, when its key or record
 * is lost or damaged (never done silently). The old key file and record are kept aside, in
 * {@code previous-devices/TIME/} beside them, and the identity starts again with new keys; the user
 * then restores the newest backup through the license server, which counts this device as a new one.
 */
@Component(service = NewDeviceCommand.class, configurationPid = DeviceIdentityComponent.PID,
        property = {"osgi.command.scope=license", "osgi.command.function=newdevice"})
public final class NewDeviceCommand {

    static final String PREVIOUS_DEVICES = "previous-devices";
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BundleContext context;
    private final ServiceComponentRuntime runtime;
    private final Path keyFile;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public NewDeviceCommand(BundleContext context, @Reference ServiceComponentRuntime runtime,
            DeviceIdentityComponent.Config config) {
        this.context = context;
        this.runtime = runtime;
        this.keyFile = DeviceIdentityComponent.keyFile(context, config.path());
    }

    public void newdevice() throws Exception {
        List<Path> setAside = setAside(keyFile, Path.of(FOLDER_TIME.format(clock.instant())));
        ComponentDescriptionDTO identity = runtime.getComponentDescriptionDTO(context.getBundle(),
                DeviceIdentityComponent.class.getName());
        // a component that failed to activate stays failed until it is enabled anew
        runtime.disableComponent(identity).getValue();
        runtime.enableComponent(identity).timeout(TimeUnit.SECONDS.toMillis(30)).getValue();
        PrintStream out = System.out;
        out.println("the previous device's files are kept in " + setAside.get(0).getParent());
        out.println("this home is a new device now; restore your newest backup through your license server"
                + " (restore DIR --rebind), which counts this device as a new one");
        out.flush();
    }

    /**
     * Moves the key file and the record beside it into {@code previous-devices/TIME/}; the files it
     * moved.
     */
    static List<Path> setAside(Path keyFile, Path time) {
        Path folder = keyFile.toAbsolutePath().resolveSibling(PREVIOUS_DEVICES).resolve(time);
        List<Path> moved = new ArrayList<>();
        try {
            for (Path file : List.of(keyFile, RecordFile.beside(keyFile))) {
                if (Files.exists(file)) {
                    Files.createDirectories(folder);
                    Path target = folder.resolve(file.getFileName());
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(target);
                }
            }
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot set the device's files aside in " + folder + ": " + e
                    + (moved.isEmpty() ? "" : "; moved already: " + moved), e);
        }
        if (moved.isEmpty()) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "there is no device here to set aside: neither " + keyFile
                    + " nor " + RecordFile.beside(keyFile) + " exists; the next start makes a new device by itself");
        }
        return moved;
    }
}
