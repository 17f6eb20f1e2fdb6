package org.ipc4j.testkit.broken.permission;

import java.nio.file.Path;
import java.util.List;
import org.ipc4j.testkit.permission.PermissionContract;
import org.ipc4j.testkit.permission.PermissionSubject;
import org.ipc4j.testkit.permission.PermissionSubject.Type;

/**
 * The permission suite on the kit's own mapped-file regions ({@code kit-region:}), which make their
 * files with the JDK and none of the care a backend owes: the mode key is ignored, an existing path
 * is opened through whatever link is there, {@code exclusive} is ignored, and a refused open is the
 * JDK's {@code AccessDeniedException}. Run by {@link BrokenPermissionBackendsTest}, not by surefire.
 */
class MappedRegionPermissionCertification extends PermissionContract {
    @Override
    protected List<PermissionSubject> subjects() {
        return List.of(PermissionSubject.of("kit-region", Type.REGION, n -> "kit-region:/" + n + "?create&size=4096")
                .file(n -> Path.of("/dev/shm/ipc4j-kit-region-" + n)));
    }
}
