package org.ipc4j.tools;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds and removes the IPC objects on this machine: files in {@code /dev/shm} (ipc4j regions,
 * channels and queues with their header decoded, other shared memory, POSIX named semaphores), POSIX
 * message queues (through a private mount of the mqueue file system), SysV objects from
 * {@code /proc/sysvipc}, and FIFOs and Unix sockets under chosen directories.
 */
final class IpcObjects {
    static final Path SHM = Path.of("/dev/shm");

    /** ipc4j's shared-memory header, as documented by ipc-shm's RegionLayout. */
    static final long MAGIC = ByteBuffer.wrap("IPC4JSHM".getBytes(StandardCharsets.US_ASCII))
            .order(ByteOrder.LITTLE_ENDIAN).getLong();
    static final int HEADER_SIZE = 128;

    private IpcObjects() {
    }

    /** One object: its kind, the name {@code ipc rm} accepts, owner, mode, size and details. */
    record Entry(String kind, String name, String owner, String mode, long size, Map<String, Object> details) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("name", name);
            m.put("owner", owner);
            m.put("mode", mode);
            m.put("size", size);
            m.putAll(details);
            return m;
        }

        /** True for an ipc4j object whose creator process is gone. */
        boolean stale() {
            return Boolean.FALSE.equals(details.get("creatorAlive"));
        }
    }

    /** Everything found; {@code dirs} are searched (3 levels deep) for FIFOs and Unix sockets. */
    static List<Entry> scan(List<Path> dirs) {
        return scan(dirs, false);
    }

    /** As {@link #scan(List)}, with Unix sockets in the abstract namespace if {@code abstractSockets}. */
    static List<Entry> scan(List<Path> dirs, boolean abstractSockets) {
        List<Entry> out = new ArrayList<>();
        scanShm(out);
        scanMqueue(out);
        scanSysv(out, "msg", "sysvmq");
        scanSysv(out, "sem", "sysvsem");
        scanSysv(out, "shm", "sysvshm");
        for (Path d : dirs) {
            scanDir(out, d);
        }
        if (abstractSockets) {
            scanAbstract(out);
        }
        return out;
    }

    /** Abstract Unix sockets from /proc/net/unix (they have no file, owner or mode). */
    private static void scanAbstract(List<Entry> out) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/unix"));
        } catch (IOException e) {
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+", 8);
            if (f.length < 8 || !f[7].startsWith("@") || !seen.add(f[7])) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("type", f[4].equals("0001") ? "stream" : f[4].equals("0002") ? "dgram" : "seqpacket");
            details.put("listening", (Integer.parseInt(f[3], 16) & 0x10000) != 0);
            out.add(new Entry("socket", f[7], "-", "-", 0, details));
        }
    }

    private static void scanShm(List<Entry> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(SHM)) {
            for (Path p : ds) {
                try {
                    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isRegularFile()) {
                        continue;
                    }
                    String file = p.getFileName().toString();
                    Map<String, Object> details = new LinkedHashMap<>();
                    if (file.startsWith("sem.")) {
                        details.put("value", semValue(p));
                        out.add(new Entry("sem", "sem:/" + file.substring(4), a.owner().getName(),
                                mode(a), a.size(), details));
                    } else {
                        String kind = decodeHeader(p, a.size(), details);
                        out.add(new Entry(kind, "shm:/" + file, a.owner().getName(), mode(a), a.size(), details));
                    }
                } catch (IOException e) {
                    // vanished or unreadable while listing: skip
                }
            }
        } catch (IOException e) {
            // no /dev/shm
        }
    }

    /** Fills the ipc4j header's fields into {@code details}; returns the kind shown. */
    static String decodeHeader(Path p, long size, Map<String, Object> details) throws IOException {
        if (size < HEADER_SIZE) {
            return "shm";
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(p, EnumSet.of(StandardOpenOption.READ), new java.nio.file.attribute.FileAttribute<?>[0])) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read the whole header
            }
        }
        b.flip();
        if (b.remaining() < HEADER_SIZE || b.getLong(0) != MAGIC) {
            return "shm";
        }
        int kind = b.getInt(12);
        details.put("layout", b.getInt(8));
        details.put("userSize", b.getLong(24));
        long pid = b.getLong(32);
        long start = b.getLong(40);
        details.put("creatorPid", pid);
        details.put("creatorAlive", alive(pid, start));
        details.put("ready", b.getInt(48) == 1);
        switch (kind) {
            case 0: return "shm-region";
            case 1: return "shm-channel";
            case 2: return "shm-queue";
            default: return "shm-kind" + kind;
        }
    }

    /** True if {@code pid} runs and started at {@code startTicks} (0 = unknown: pid only). */
    static boolean alive(long pid, long startTicks) {
        if (pid <= 0) {
            return false;
        }
        try {
            String line = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) {
                return false;
            }
            return startTicks == 0 || Long.parseLong(f[19]) == startTicks;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The value of a glibc named semaphore (the low 32 bits of its first word on 64-bit). */
    private static long semValue(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            if (b.length >= 8) {
                return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(0) & 0xffffffffL;
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }

    private static String mode(PosixFileAttributes a) {
        return PosixFilePermissions.toString(a.permissions());
    }

    private static String mode(int octal) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((octal & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return sb.toString();
    }

    /**
     * POSIX queues: /dev/mqueue if mounted, else a private mount in a new mount namespace (root
     * only); nothing is changed for other processes.
     */
    private static void scanMqueue(List<Entry> out) {
        Path mounted = Path.of("/dev/mqueue");
        String body = "for f in \"$d\"/*; do [ -e \"$f\" ] || continue; printf '%s|' \"${f##*/}\";"
                + " stat -c '%U|%a' \"$f\" | tr -d '\\n'; printf '|'; tr '\\n' ' ' < \"$f\"; echo; done";
        List<String> cmd;
        if (isMqueueMount(mounted)) {
            cmd = List.of("sh", "-c", "d=/dev/mqueue; " + body);
        } else {
            if (!Files.isExecutable(Path.of("/usr/bin/unshare")) && !Files.isExecutable(Path.of("/bin/unshare"))) {
                return;
            }
            cmd = List.of("unshare", "-m", "sh", "-c", "d=$(mktemp -d) && mount -t mqueue none \"$d\" && { "
                    + body + "; umount \"$d\"; }; rmdir \"$d\"");
        }
        for (String line : run(cmd)) {
            // name|owner|mode|QSIZE:n NOTIFY:.. SIGNO:.. NOTIFY_PID:..
            String[] f = line.split("\\|", -1);
            if (f.length < 4) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            long qsize = 0;
            for (String kv : f[3].trim().split("\\s+")) {
                if (kv.startsWith("QSIZE:")) {
                    qsize = Long.parseLong(kv.substring(6));
                }
            }
            details.put("bytesQueued", qsize);
            out.add(new Entry("mq", "mq:/" + f[0], f[1], mode(Integer.parseInt(f[2], 8)), qsize, details));
        }
    }

    private static boolean isMqueueMount(Path p) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .anyMatch(l -> l.split(" ").length > 2 && l.split(" ")[1].equals(p.toString())
                            && l.split(" ")[2].equals("mqueue"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void scanSysv(List<Entry> out, String file, String kind) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/sysvipc/" + file));
        } catch (IOException e) {
            return;
        }
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = List.of(lines.get(0).trim().split("\\s+"));
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.trim().split("\\s+");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < v.length; i++) {
                row.put(header.get(i), v[i]);
            }
            long key = Long.parseLong(row.getOrDefault("key", "0"));
            String id = row.getOrDefault(file.equals("msg") ? "msqid" : file.equals("sem") ? "semid" : "shmid", "?");
            String name = key == 0 ? kind + ":#" + id : kind + ":0x" + Long.toHexString(key & 0xffffffffL);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("id", Long.parseLong(id));
            details.put("key", key);
            long size;
            switch (file) {
                case "msg":
                    size = Long.parseLong(row.getOrDefault("cbytes", "0"));
                    details.put("messages", Long.parseLong(row.getOrDefault("qnum", "0")));
                    break;
                case "sem":
                    size = Long.parseLong(row.getOrDefault("nsems", "0"));
                    break;
                default:
                    size = Long.parseLong(row.getOrDefault("size", "0"));
                    details.put("attached", Long.parseLong(row.getOrDefault("nattch", "0")));
                    long cpid = Long.parseLong(row.getOrDefault("cpid", "0"));
                    details.put("creatorPid", cpid);
            }
            int perms = Integer.parseInt(row.getOrDefault("perms", "0"), 8);
            out.add(new Entry(kind, name, userName(row.getOrDefault("uid", "0")), mode(perms & 0777), size, details));
        }
    }

    private static String userName(String uid) {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = l.split(":");
                if (f.length > 2 && f[2].equals(uid)) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return uid;
    }

    private static void scanDir(List<Entry> out, Path dir) {
        try (Stream<Path> s = Files.walk(dir, 3, new FileVisitOption[0])) {
            s.forEach(p -> {
                try {
                    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isOther()) {
                        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                        int type = ((Integer) mode) & 0170000;
                        String kind = type == 0010000 ? "fifo" : type == 0140000 ? "socket" : null;
                        if (kind != null) {
                            out.add(new Entry(kind, p.toAbsolutePath().toString(), a.owner().getName(), mode(a),
                                    a.size(), new LinkedHashMap<>()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // vanished: skip
                }
            });
        } catch (IOException | RuntimeException e) {
            // unreadable directory: skip
        }
    }

    /** The libc calls needed to remove kernel objects. */
    interface LibC extends Library {
        int mq_unlink(String name);

        int msgctl(int id, int cmd, Pointer buf);

        int semctl(int id, int num, int cmd);

        int shmctl(int id, int cmd, Pointer buf);
    }

    private static final class Native0 {
        static final LibC C = Native.load("c", LibC.class);
    }

    private static final int IPC_RMID = 0;

    /**
     * Removes one object named as {@code ipc ls} shows it: {@code shm:/x}, {@code sem:/x}, {@code mq:/x},
     * {@code sysvmq:0xKEY} or {@code sysvmq:#ID} (also sysvsem, sysvshm), or the path of a FIFO, Unix
     * socket or /dev/shm file.
     *
     * @throws IllegalArgumentException for a name of no known form (the message lists the forms)
     * @throws IOException if the object is missing or the system refused
     */
    static void remove(String name) throws IOException {
        if (name.startsWith("shm:/")) {
            deleteFile(SHM.resolve(single(name, "shm:/")), name);
        } else if (name.startsWith("sem:/")) {
            deleteFile(SHM.resolve("sem." + single(name, "sem:/")), name);
        } else if (name.startsWith("mq:/")) {
            single(name, "mq:/");
            if (Native0.C.mq_unlink(name.substring(3)) != 0) {
                throw new IOException("mq_unlink(" + name.substring(3) + ") failed: errno=" + Native.getLastError()
                        + (Native.getLastError() == 2 ? " (no such queue)" : ""));
            }
        } else if (name.startsWith("sysvmq:") || name.startsWith("sysvsem:") || name.startsWith("sysvshm:")) {
            String kind = name.substring(0, name.indexOf(':'));
            int id = sysvId(kind, name.substring(kind.length() + 1));
            int rc;
            switch (kind) {
                case "sysvmq": rc = Native0.C.msgctl(id, IPC_RMID, null); break;
                case "sysvsem": rc = Native0.C.semctl(id, 0, IPC_RMID); break;
                default: rc = Native0.C.shmctl(id, IPC_RMID, null);
            }
            if (rc != 0) {
                throw new IOException(kind + " IPC_RMID of " + name + " (id=" + id + ") failed: errno=" + Native.getLastError());
            }
        } else if (name.startsWith("/")) {
            Path p = Path.of(name);
            PosixFileAttributes a;
            try {
                a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw new IOException("no such object: " + name);
            }
            boolean inShm = p.toAbsolutePath().normalize().getParent() != null
                    && p.toAbsolutePath().normalize().getParent().equals(SHM);
            if (!a.isOther() && !(inShm && a.isRegularFile())) {
                throw new IllegalArgumentException("refusing to remove " + name
                        + ": it is not a FIFO, a Unix socket or a file in /dev/shm");
            }
            Files.delete(p);
        } else {
            throw new IllegalArgumentException("unknown object name '" + name + "'; accepted: shm:/NAME, sem:/NAME,"
                    + " mq:/NAME, sysvmq:0xKEY or sysvmq:#ID (also sysvsem:, sysvshm:), or the path of a FIFO,"
                    + " Unix socket or /dev/shm file, as 'ipc ls' shows them");
        }
    }

    private static String single(String name, String prefix) {
        String rest = name.substring(prefix.length());
        if (rest.isEmpty() || rest.contains("/") || rest.equals(".") || rest.equals("..")) {
            throw new IllegalArgumentException("bad name '" + name + "'; accepted: " + prefix
                    + "NAME with one path component");
        }
        return rest;
    }

    private static void deleteFile(Path p, String name) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException e) {
            throw new IOException("no such object: " + name + " (" + p + " does not exist)");
        }
    }

    private static int sysvId(String kind, String spec) throws IOException {
        if (spec.startsWith("#")) {
            return Integer.parseInt(spec.substring(1));
        }
        long key;
        try {
            key = spec.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(spec.substring(2), 16) : Long.parseLong(spec);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad SysV key '" + spec + "' in " + kind + ":" + spec
                    + "; accepted: 0xHEX, decimal, or #ID");
        }
        String file = kind.equals("sysvmq") ? "msg" : kind.equals("sysvsem") ? "sem" : "shm";
        List<Entry> found = new ArrayList<>();
        scanSysv(found, file, kind);
        for (Entry e : found) {
            if ((((Long) e.details().get("key")) & 0xffffffffL) == (key & 0xffffffffL)) {
                return ((Long) e.details().get("id")).intValue();
            }
        }
        throw new IOException("no such object: " + kind + ":" + spec + " (no " + kind + " with key=0x"
                + Long.toHexString(key) + " in /proc/sysvipc/" + file + ")");
    }
}
