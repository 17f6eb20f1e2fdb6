package org.ipc4j.shm.internal;

import org.ipc4j.InvalidAddressException;
import org.ipc4j.IpcAddress;

/** The one place a {@code shm:} name becomes a path in {@code /dev/shm}. */
public final class ShmNames {
    private ShmNames() {
    }

    /**
     * The file for an address's name; the parser already refused '/' inside the name and names over
     * NAME_MAX.
     *
     * @throws InvalidAddressException for "." and "..", which libc would resolve outside /dev/shm
     */
    public static String path(IpcAddress address) throws InvalidAddressException {
        String name = address.name();
        if (name.equals("/.") || name.equals("/..") || name.length() < 2 || name.indexOf('/', 1) >= 0) {
            throw address.invalid(name, "shm name must be '/' then 1 to 255 bytes with no '/', and not . or ..: name="
                    + name);
        }
        return ShmFile.pathOf(name);
    }
}
