package org.ipc4j.socket.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.ResourceLimitException;

/**
 * Puts a Unix socket file at a user's path with no moment in which it is wider than asked, and never
 * deletes anything that is not a dead socket (see FINDINGS: junixsocket binds 0666 and deletes a
 * regular file at the path; the JDK binds with the umask).
 *
 * <ol>
 *   <li>look at the path without following links: absent is fine; a socket nobody answers on
 *       (connect refused) is stale and will be replaced; a live socket is "address in use"; anything
 *       else is refused and left alone;</li>
 *   <li>make a private 0700 directory next to it and bind there;</li>
 *   <li>chmod the socket file to the asked mode;</li>
 *   <li>hard-link it to the path ({@code link} fails rather than replace), then drop the private
 *       name and directory &mdash; or, for junixsocket, keep them until close: its accept fails once
 *       the name it bound is gone.</li>
 * </ol>
 */
public final class UnixPaths {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int UNIX_PATH_MAX = 107;

    private UnixPaths() {
    }

    /** Binds something at a path; called with the private path. */
    @FunctionalInterface
    public interface Binder {
        /** Binds the socket at {@code path}. */
        void bind(Path path) throws IOException;
    }

    /**
     * Identity of the file put in place, to remove only our own on close.
     *
     * @param path the user's path
     * @param fileKey the socket file's identity (device and inode)
     * @param privateDir the private directory still holding the bound name, or null
     */
    public record Placed(Path path, Object fileKey, Path privateDir) {
        /** Removes the file if it is still the one we placed, and the private directory. Never throws. */
        public void remove() {
            try {
                Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).fileKey();
                if (key != null && key.equals(fileKey)) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // gone already, or replaced by someone else: leave it
            }
            if (privateDir != null) {
                try {
                    Files.deleteIfExists(privateDir.resolve("s"));
                    Files.deleteIfExists(privateDir);
                } catch (IOException e) {
                    // nothing more we may remove
                }
            }
        }
    }

    /**
     * Binds at {@code target} through a private directory, as described above.
     *
     * @param address the address, for messages
     * @param mode the file mode wanted, such as 0600
     * @param keepPrivateName keep the private directory and bound name until {@link Placed#remove()}:
     *     junixsocket's accept fails with ECONNABORTED once the path it bound no longer exists
     * @param binder binds the socket at the private path it is given
     * @throws ObjectExistsException if a live socket is at the path
     * @throws PermissionDeniedException if something other than a socket is at the path
     */
    public static Placed bind(IpcAddress address, Path target, int mode, boolean keepPrivateName, Binder binder)
            throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ObjectNotFoundException(address.text(), "directory " + parent + " of socket path '" + target
                    + "' does not exist; create it first");
        }
        Object staleKey = inspect(address, target);
        String dirName = ".i" + Integer.toHexString(0x100000 | RANDOM.nextInt(0xFFFFF)).substring(1);
        Path dir = parent.resolve(dirName);
        Path temporary = dir.resolve("s");
        if (temporary.toString().getBytes(StandardCharsets.UTF_8).length > UNIX_PATH_MAX) {
            throw address.invalid(target.toString(), "the socket is bound under a private directory first, which needs"
                    + " 11 bytes more than the directory's path; '" + temporary + "' is over " + UNIX_PATH_MAX
                    + " bytes: use a shorter directory");
        }
        boolean placed = false;
        try {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                binder.bind(temporary);
            } catch (FileSystemException e) {
                throw cannotPlace(address, target, e);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    throw cannotPlace(address, target, e);
                }
                throw e;
            }
            Files.setPosixFilePermissions(temporary, permissions(mode));
            if (staleKey != null) {
                removeStale(target, staleKey);
            }
            try {
                Files.createLink(target, temporary);
            } catch (FileAlreadyExistsException e) {
                throw new ObjectExistsException(address.text(), "address in use: '" + target
                        + "' appeared while binding; another listener took it", e);
            }
            Object key = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            placed = true;
            return new Placed(target, key, keepPrivateName ? dir : null);
        } finally {
            if (!placed || !keepPrivateName) {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(dir);
            }
        }
    }

    /** A full file system (no block or inode left) or another refusal while making the socket file. */
    private static IOException cannotPlace(IpcAddress address, Path target, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
        if (reason.contains("No space left")) {
            return new ResourceLimitException(address.text(), "cannot create the socket file '" + target
                    + "': no space left on the file system of " + target.getParent()
                    + " (no free block or inode); free some or use another directory", e);
        }
        if (reason.contains("Permission denied") || reason.contains("Read-only")) {
            return new PermissionDeniedException(address.text(), "cannot create the socket file '" + target + "': "
                    + reason + "; check the directory's owner, mode and mount", e);
        }
        return new IpcException(address.text(), "cannot create the socket file '" + target + "': " + reason, e);
    }

    /**
     * @return the file key of a stale socket to replace, or null if the path is free
     */
    private static Object inspect(IpcAddress address, Path target) throws IOException {
        int mode;
        Object key;
        try {
            mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            key = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new PermissionDeniedException(address.text(), "'" + target + "' exists and is not a socket ("
                    + describe(mode) + "); refusing to replace it: remove it or choose another path");
        }
        if (isLive(target)) {
            throw new ObjectExistsException(address.text(), "address in use: a live socket at '" + target
                    + "' accepts connections; close its listener or choose another path");
        }
        return key;
    }

    /** True unless connecting to the socket file at {@code path} is refused (nobody bound to it). */
    public static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (ConnectException e) {
            // "Connection refused": a socket file with nobody behind it; "Protocol wrong type": a live datagram socket
            String m = String.valueOf(e.getMessage());
            return !m.contains("refused");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return !m.contains("refused") && !m.contains("No such file");
        }
    }

    private static void removeStale(Path target, Object staleKey) throws IOException {
        try {
            Object key = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (key != null && key.equals(staleKey)) {
                Files.delete(target);
            }
        } catch (NoSuchFileException e) {
            // someone removed it meanwhile: the link below will tell if it came back
        }
    }

    private static String describe(int mode) {
        switch (mode & S_IFMT) {
            case 0100000: return "a regular file";
            case 0040000: return "a directory";
            case 0120000: return "a symbolic link";
            case 0010000: return "a FIFO";
            case 0020000: return "a character device";
            case 0060000: return "a block device";
            default: return "file type 0" + Integer.toOctalString(mode & S_IFMT);
        }
    }

    /** The permission set of an octal mode's low nine bits. */
    public static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }
}
