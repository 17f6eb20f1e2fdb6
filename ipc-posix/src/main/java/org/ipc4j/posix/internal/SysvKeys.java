package org.ipc4j.posix.internal;

import java.io.IOException;
import org.ipc4j.IpcAddress;

/** The SysV key of a {@code sysvmq:} or {@code sysvsem:} address: the number, or {@code ftok(path, project)}. */
final class SysvKeys {
    private SysvKeys() {
    }

    static int key(IpcAddress a) throws IOException {
        if (a.sysvKey().isPresent()) {
            return a.sysvKey().getAsInt();
        }
        int project = (int) a.integer("project", 1, 1, 255);
        int key = LibC.ftok(a.name(), project);
        if (key == -1) {
            throw Errno.exception("ftok", a.name(), LibC.errno(),
                    "ftok needs an existing file; create " + a.name() + " or give a numeric key");
        }
        return key;
    }
}
