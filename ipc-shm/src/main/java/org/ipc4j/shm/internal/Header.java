package org.ipc4j.shm.internal;

import static org.ipc4j.shm.internal.RegionLayout.*;

import java.io.IOException;
import net.openhft.chronicle.bytes.BytesStore;
import org.ipc4j.IpcProtocolException;

/** Writes and checks the {@link RegionLayout} header. */
public final class Header {
    private Header() {
    }

    /** Writes the header of a fresh, zeroed file; the ready flag last, with release. */
    public static void write(Mapping mapping, int kind, long userSize) {
        BytesStore<?, ?> b = mapping.bytes();
        b.writeLong(MAGIC_OFFSET, MAGIC);
        b.writeInt(VERSION_OFFSET, VERSION);
        b.writeInt(KIND_OFFSET, kind);
        b.writeLong(FILE_SIZE_OFFSET, mapping.length());
        b.writeLong(USER_SIZE_OFFSET, userSize);
        b.writeLong(PID_OFFSET, ProcessHandle.current().pid());
        b.writeLong(START_TIME_OFFSET, ShmFile.processStartTime());
        b.writeOrderedInt(READY_OFFSET, READY);   // pairs with readVolatileInt in check()
    }

    /**
     * Checks the header of an opened file.
     *
     * @return the user size the header records
     * @throws IpcProtocolException naming what was found and what was expected
     */
    public static long check(String object, ShmFile file, int kind) throws IOException {
        BytesStore<?, ?> b = file.mapping().bytes();
        String path = file.path();
        long magic = b.readLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IpcProtocolException(object, path + " is not an ipc4j shared-memory file: magic=0x"
                    + Long.toHexString(magic) + ", expected 0x" + Long.toHexString(MAGIC)
                    + " (\"IPC4JSHM\"); open it with ?raw to map its bytes without a header");
        }
        int version = b.readInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new IpcProtocolException(object, path + " has layout version=" + version + ", expected version="
                    + VERSION + "; it was made by another ipc4j release");
        }
        if (b.readVolatileInt(READY_OFFSET) != READY) {   // pairs with writeOrderedInt in write()
            throw new IpcProtocolException(object, path + " is not initialised (ready flag="
                    + b.readInt(READY_OFFSET) + ", expected " + READY + "); its creator died while building it");
        }
        long fileSize = b.readLong(FILE_SIZE_OFFSET);
        if (fileSize != file.size()) {
            throw new IpcProtocolException(object, path + " is " + file.size() + " bytes but its header says size="
                    + fileSize + "; the file was truncated or resized by someone else");
        }
        int found = b.readInt(KIND_OFFSET);
        if (found != kind) {
            throw new IpcProtocolException(object, path + " holds a " + kindName(found) + ", not a " + kindName(kind)
                    + "; use the matching Ipc method or another name");
        }
        long userSize = b.readLong(USER_SIZE_OFFSET);
        if (userSize < 0 || userSize > fileSize - HEADER_SIZE) {
            throw new IpcProtocolException(object, path + " has user size=" + userSize + " outside file size="
                    + fileSize + " minus header=" + HEADER_SIZE);
        }
        return userSize;
    }
}
