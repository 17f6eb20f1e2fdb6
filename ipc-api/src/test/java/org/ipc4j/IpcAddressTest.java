package org.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one address parser: every scheme of DESIGN.md, the typed getters, and every kind of bad input. */
class IpcAddressTest {

    /** Parses {@code address}, expecting it to be refused; checks the part and that the message names it. */
    static InvalidAddressException refused(String address, String part, String... fragments) {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> IpcAddress.parse(address),
                () -> "expected '" + address.replace("\0", "\\0") + "' to be refused");
        return check(e, address, part, fragments);
    }

    static InvalidAddressException check(InvalidAddressException e, String address, String part, String... fragments) {
        String message = e.getMessage();
        assertEquals(part, e.part(), () -> "offending part of " + message);
        assertEquals(address, e.object(), "the exception names the whole address");
        assertTrue(message.contains(part), () -> "message names the part '" + part + "': " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message should contain '" + f + "': " + message);
        }
        return e;
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    @Nested
    class EveryScheme {
        @Test
        void pipeHasNoNameAndTakesDescriptorKeys() throws Exception {
            IpcAddress a = IpcAddress.parse("pipe:?read=3&write=4");
            assertEquals("pipe", a.scheme());
            assertEquals("", a.name());
            assertEquals(Map.of("read", "3", "write", "4"), a.query());
            assertEquals(3, a.integer("read", -1, 0, 1024));
            a.checkKeys("read", "write");
            assertEquals("", IpcAddress.parse("pipe:").name());
            assertTrue(IpcAddress.parse("pipe:").query().isEmpty());
        }

        @Test
        void fifoIsAnAbsolutePath() throws Exception {
            IpcAddress a = IpcAddress.parse("fifo:/run/app/in?create&mode=0640");
            assertEquals("fifo", a.scheme());
            assertEquals("/run/app/in", a.name());
            assertTrue(a.create());
            assertEquals(0640, a.mode());
        }

        @Test
        void mqIsASingleComponentName() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/jobs?create&capacity=10&maxMessageSize=8192");
            assertEquals("mq", a.scheme());
            assertEquals("/jobs", a.name());
            assertTrue(a.create());
            assertFalse(a.exclusive());
            assertEquals(10, a.integer("capacity", 0, 1, 100));
            assertEquals(8192, a.size("maxMessageSize", 0));
            a.checkKeys("capacity", "maxMessageSize");
            assertEquals(List.of("create", "capacity", "maxMessageSize"), List.copyOf(a.query().keySet()),
                    "the query keeps its order");
        }

        @ParameterizedTest
        @CsvSource({"sysvmq:1234,1234", "sysvmq:0x1F,31", "sysvmq:0XfF,255", "sysvmq:0xFFFFFFFF,-1",
                "sysvsem:42,42", "sysvsem:-7,-7"})
        void sysvTakesANumericKey(String address, int key) throws Exception {
            IpcAddress a = IpcAddress.parse(address);
            assertEquals(OptionalInt.of(key), a.sysvKey());
        }

        @ParameterizedTest
        @ValueSource(strings = {"sysvmq:/etc/hosts", "sysvsem:/var/run/app.lock"})
        void sysvTakesAPathForFtok(String address) throws Exception {
            IpcAddress a = IpcAddress.parse(address);
            assertEquals(OptionalInt.empty(), a.sysvKey());
            assertEquals(address.substring(address.indexOf(':') + 1), a.name());
        }

        @Test
        void shmTakesASizeWithUnit() throws Exception {
            IpcAddress a = IpcAddress.parse("shm:/prices?create&size=1MiB");
            assertEquals("/prices", a.name());
            assertEquals(1L << 20, a.size("size", 0));
            a.checkKeys("size");
        }

        @Test
        void semIsASingleComponentName() throws Exception {
            IpcAddress a = IpcAddress.parse("sem:/lock?create&initial=1");
            assertEquals("sem", a.scheme());
            assertEquals("/lock", a.name());
            assertEquals(1, a.integer("initial", 0, 0, Integer.MAX_VALUE));
        }

        @Test
        void tcpIPv4() throws Exception {
            IpcAddress a = IpcAddress.parse("tcp://127.0.0.1:7000");
            assertEquals("tcp", a.scheme());
            assertEquals("127.0.0.1", a.host());
            assertEquals(7000, a.port());
            assertEquals("127.0.0.1:7000", a.name());
        }

        @Test
        void tcpIPv6InBrackets() throws Exception {
            IpcAddress a = IpcAddress.parse("tcp://[::1]:7000");
            assertEquals("::1", a.host());
            assertEquals(7000, a.port());
            IpcAddress full = IpcAddress.parse("tcp://[fe80::1:2:3:4]:65535");
            assertEquals("fe80::1:2:3:4", full.host());
            assertEquals(65535, full.port());
        }

        @Test
        void tcpHostnameAndPortZero() throws Exception {
            IpcAddress a = IpcAddress.parse("tcp://localhost:0?timeout=5s");
            assertEquals("localhost", a.host());
            assertEquals(0, a.port());
            assertEquals(Duration.ofSeconds(5), a.timeout(Duration.ZERO));
        }

        @Test
        void udpWithBind() throws Exception {
            IpcAddress a = IpcAddress.parse("udp://127.0.0.1:9000?bind=127.0.0.1:9001");
            assertEquals("udp", a.scheme());
            assertEquals("127.0.0.1", a.host());
            assertEquals(9000, a.port());
            assertEquals(Optional.of("127.0.0.1:9001"), a.string("bind"));
            a.checkKeys("bind");
        }

        @Test
        void unixPathAndAbstractName() throws Exception {
            IpcAddress path = IpcAddress.parse("unix:/run/app/app.sock");
            assertEquals("/run/app/app.sock", path.name());
            assertFalse(path.isAbstract());
            IpcAddress abs = IpcAddress.parse("unix:@svc");
            assertEquals("@svc", abs.name());
            assertTrue(abs.isAbstract());
        }

        @Test
        void unixgramWithBind() throws Exception {
            IpcAddress a = IpcAddress.parse("unixgram:/tmp/a.sock?bind=/tmp/b.sock");
            assertEquals("unixgram", a.scheme());
            assertEquals("/tmp/a.sock", a.name());
            assertFalse(a.isAbstract());
            assertEquals(Optional.of("/tmp/b.sock"), a.string("bind"));
            assertTrue(IpcAddress.parse("unixgram:@peer?bind=@me").isAbstract());
        }

        @Test
        void inprocIsASingleComponentName() throws Exception {
            IpcAddress a = IpcAddress.parse("inproc:/x?capacity=4");
            assertEquals("inproc", a.scheme());
            assertEquals("/x", a.name());
            refused("inproc:/x/y", "/x/y", "second '/'");
        }

        @Test
        void unknownSchemesAreOpaqueForTheirProvider() throws Exception {
            IpcAddress a = IpcAddress.parse("vsock:3:5000?x=1");
            assertEquals("vsock", a.scheme());
            assertEquals("3:5000", a.name());
            refused("vsock:a\0b", "a\\0b", "NUL");
        }
    }

    @Nested
    class Getters {
        @Test
        void hostAndPortOnlyForHostSchemes() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/jobs");
            IllegalStateException host = assertThrows(IllegalStateException.class, a::host);
            assertTrue(host.getMessage().contains("mq:/jobs"), host.getMessage());
            assertThrows(IllegalStateException.class, a::port);
            assertEquals(OptionalInt.empty(), a.sysvKey());
            assertFalse(a.isAbstract());
        }

        @Test
        void commonKeysHaveDefaults() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/jobs");
            assertFalse(a.create());
            assertFalse(a.exclusive());
            assertEquals(IpcAddress.DEFAULT_MODE, a.mode());
            assertEquals(0600, a.mode());
            assertEquals(Duration.ofSeconds(3), a.timeout(Duration.ofSeconds(3)));
            assertEquals(42, a.size("size", 42));
            assertEquals(Duration.ofMillis(7), a.duration("linger", Duration.ofMillis(7)));
            assertEquals(5, a.integer("n", 5, 0, 10));
            assertFalse(a.has("create"));
            assertEquals(Optional.empty(), a.string("create"));
        }

        @Test
        void exclusiveImpliesCreateAndFlagsTakeTrueOrFalse() throws Exception {
            assertTrue(IpcAddress.parse("mq:/a?exclusive").create());
            assertTrue(IpcAddress.parse("mq:/a?exclusive").exclusive());
            assertFalse(IpcAddress.parse("mq:/a?create=false").create());
            assertTrue(IpcAddress.parse("mq:/a?create=false").has("create"));
            assertTrue(IpcAddress.parse("mq:/a?create=true").create());
            assertTrue(IpcAddress.parse("mq:/a?create=TRUE").create());
            assertEquals("", IpcAddress.parse("mq:/a?create").string("create").orElseThrow());
        }

        @ParameterizedTest
        @CsvSource({"0,0", "4096,4096", "17B,17", "64KiB,65536", "1MiB,1048576", "2GiB,2147483648",
                "1TiB,1099511627776"})
        void sizesTakeBinaryUnits(String value, long bytes) throws Exception {
            assertEquals(bytes, IpcAddress.parse("shm:/r?size=" + value).size("size", -1));
        }

        @ParameterizedTest
        @CsvSource({"0,0", "5ns,5", "7us,7000", "250ms,250000000", "5s,5000000000", "2m,120000000000",
                "1h,3600000000000"})
        void durationsTakeUnits(String value, long nanos) throws Exception {
            assertEquals(Duration.ofNanos(nanos), IpcAddress.parse("tcp://h:1?timeout=" + value).timeout(null));
        }

        @ParameterizedTest
        @CsvSource({"0600,384", "640,416", "0,0", "777,511", "0777,511"})
        void modesAreOctal(String value, int mode) throws Exception {
            assertEquals(mode, IpcAddress.parse("mq:/a?mode=" + value).mode());
        }

        @Test
        void integersTakeDecimalOrHexWithinTheRange() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/a?n=0x10&m=12");
            assertEquals(16, a.integer("n", 0, 0, 100));
            assertEquals(12, a.integer("m", 0, 0, 100));
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> a.integer("m", 0, 1, 10));
            check(e, "mq:/a?n=0x10&m=12", "m", "m=12", "accepted: a whole number from 1 to 10");
            IpcAddress word = IpcAddress.parse("mq:/a?n=ten");
            check(assertThrows(InvalidAddressException.class, () -> word.integer("n", 0, 0, 100)),
                    "mq:/a?n=ten", "n", "n=ten", "from 0 to 100");
        }

        @Test
        void invalidNamesThePartForProvidersOwnChecks() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/a?capacity=0");
            InvalidAddressException e = a.invalid("capacity", "capacity=0; accepted: 1 to 10");
            check(e, "mq:/a?capacity=0", "capacity", "bad address 'mq:/a?capacity=0'", "accepted: 1 to 10");
        }

        @Test
        void equalityIsByText() throws Exception {
            assertEquals(IpcAddress.parse("mq:/a?create"), IpcAddress.parse("mq:/a?create"));
            assertEquals(IpcAddress.parse("mq:/a").hashCode(), IpcAddress.parse("mq:/a").hashCode());
            assertNotEquals(IpcAddress.parse("mq:/a"), IpcAddress.parse("mq:/a?create"));
            assertEquals("mq:/a?create", IpcAddress.parse("mq:/a?create").toString());
            assertEquals("mq:/a?create", IpcAddress.parse("mq:/a?create").text());
        }

        @Test
        void nullIsRefusedWithNullPointerException() {
            NullPointerException e = assertThrows(NullPointerException.class, () -> IpcAddress.parse(null));
            assertTrue(e.getMessage().contains("address"), e.getMessage());
        }
    }

    @Nested
    class CheckKeys {
        @Test
        void unknownKeyIsNamedWithEveryAcceptedKey() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/jobs?create&colour=red");
            InvalidAddressException e = assertThrows(InvalidAddressException.class,
                    () -> a.checkKeys("capacity", "maxMessageSize"));
            check(e, "mq:/jobs?create&colour=red", "colour", "unknown query key 'colour'",
                    "accepted for mq: capacity, create, exclusive, maxMessageSize, mode, timeout");
        }

        @Test
        void commonKeysAreAlwaysAccepted() throws Exception {
            IpcAddress.parse("sem:/a?create&exclusive&mode=0600&timeout=1s").checkKeys();
        }

        @Test
        void backendKeysMustBeDeclared() throws Exception {
            IpcAddress a = IpcAddress.parse("shm:/r?create&size=1KiB");
            check(assertThrows(InvalidAddressException.class, a::checkKeys), "shm:/r?create&size=1KiB", "size",
                    "accepted for shm: create, exclusive, mode, timeout");
            a.checkKeys("size");
        }
    }

    @Nested
    class BadInput {
        @Test
        void noScheme() {
            refused("jobs", "jobs", "has no scheme", "accepted: scheme:name?options");
            refused(":/jobs", ":/jobs", "has no scheme");
        }

        @Test
        void badScheme() {
            refused("MQ:/jobs", "MQ", "bad scheme", "lowercase letters");
            refused("1mq:/jobs", "1mq", "starting with a letter");
        }

        @ParameterizedTest
        @ValueSource(strings = {"12XB", "-1", "1.5MiB", "MiB", "", "64kib", "64 KiB", "99999999TiB"})
        void badSize(String value) throws Exception {
            String address = "shm:/r?size=" + value;
            IpcAddress a = IpcAddress.parse(address);
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> a.size("size", 0));
            check(e, address, "size", "size=" + value, "accepted: a whole number of bytes", "KiB");
        }

        @ParameterizedTest
        @ValueSource(strings = {"5", "-1s", "5sec", "s", "1.5s", "", "99999999999999999999s", "9223372036854775807h"})
        void badDuration(String value) {
            refused("tcp://h:1?timeout=" + value, "timeout", "timeout=" + value, "accepted:", "250ms");
        }

        @Test
        void badDurationThroughTheGetter() throws Exception {
            IpcAddress a = IpcAddress.parse("mq:/a?linger=soon");
            check(assertThrows(InvalidAddressException.class, () -> a.duration("linger", Duration.ZERO)),
                    "mq:/a?linger=soon", "linger", "linger=soon", "ns, us, ms, s, m or h");
        }

        @ParameterizedTest
        @ValueSource(strings = {"999", "0800", "rw", "", "00600", "-600", "0x1ff"})
        void badMode(String value) {
            refused("mq:/a?mode=" + value, "mode", "mode=" + value, "accepted: octal permission bits");
        }

        @Test
        void setuidModeBitsAreRefused() {
            refused("mq:/a?mode=4755", "mode", "mode=4755", "setuid");
        }

        @ParameterizedTest
        @ValueSource(strings = {"mq", "shm", "sem", "inproc"})
        void emptyName(String scheme) {
            refused(scheme + ":/", "/", "the name is empty", "accepted: /name");
            refused(scheme + ":", "", "must start with '/'", "accepted: /name");
            refused(scheme + ":?create", "", "must start with '/'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"mq", "shm", "sem", "inproc"})
        void nameWithASecondSlash(String scheme) {
            refused(scheme + ":/a/b", "/a/b", "second '/' at index 2", "single component", "no '/'");
            refused(scheme + ":/a/", "/a/", "second '/'");
            refused(scheme + "://a", "//a", "second '/'");
        }

        @Test
        void nameWithoutLeadingSlash() {
            refused("mq:jobs", "jobs", "must start with '/'", "one leading '/'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/.", "/.."})
        void dotNamesAreRefused(String name) {
            refused("shm:" + name, name, "'.' or '..'");
        }

        @Test
        void nameWithNul() {
            refused("mq:/a\0b", "/a\\0b", "NUL at index 2", "no '/' or NUL");
            refused("fifo:/tmp/a\0b", "/tmp/a\\0b", "NUL");
            refused("unix:/tmp/a\0b", "/tmp/a\\0b", "NUL");
            refused("unix:@a\0b", "@a\\0b", "NUL");
            refused("sysvmq:/tmp/a\0", "/tmp/a\\0", "NUL");
        }

        @Test
        void nulInAQueryValue() {
            refused("mq:/a?bind=x\0y", "bind", "NUL is never accepted");
        }

        @Test
        void hostWithNul() {
            refused("tcp://a\0b:80", "a\\0b:80", "NUL");
        }

        @Test
        void hostWithWhiteSpace() {
            refused("udp://a b:80", "a b:80", "white space");
        }

        @ParameterizedTest
        @CsvSource({"mq,255", "shm,255", "inproc,255", "sem,251"})
        void nameTooLong(String scheme, int max) throws Exception {
            String longest = "/" + repeat("n", max);
            IpcAddress.parse(scheme + ":" + longest);
            String over = longest + "n";
            refused(scheme + ":" + over, over, "name is " + (max + 1) + " bytes long, over the limit of " + max,
                    "1 to " + max + " bytes");
        }

        @Test
        void nameLengthCountsUtf8Bytes() {
            String name = "/" + repeat("\u00e9", 128);
            refused("mq:" + name, name, "256 bytes", "limit of 255");
        }

        @ParameterizedTest
        @ValueSource(strings = {"unix", "unixgram"})
        void unixPathTooLong(String scheme) throws Exception {
            String longest = "/" + repeat("p", 106);
            IpcAddress.parse(scheme + ":" + longest);
            String over = longest + "p";
            refused(scheme + ":" + over, over, "108 bytes long, over the limit of 107", "at most 107 bytes");
        }

        @ParameterizedTest
        @ValueSource(strings = {"unix", "unixgram"})
        void abstractNameTooLongOrEmpty(String scheme) throws Exception {
            String longest = "@" + repeat("a", 107);
            assertTrue(IpcAddress.parse(scheme + ":" + longest).isAbstract());
            String over = longest + "a";
            refused(scheme + ":" + over, over, "is 108 bytes", "accepted: 1 to 107");
            refused(scheme + ":@", "@", "is 0 bytes", "accepted: 1 to 107");
        }

        @Test
        void pathTooLong() throws Exception {
            String longest = "/" + repeat("f", 4094);
            IpcAddress.parse("fifo:" + longest);
            refused("fifo:" + longest + "f", longest + "f", "4096 bytes long, over the limit of 4095");
        }

        @ParameterizedTest
        @CsvSource({"fifo,run/x", "unix,relative.sock", "unixgram,./a.sock", "fifo,~/x"})
        void pathNotAbsolute(String scheme, String path) {
            refused(scheme + ":" + path, path, "is not absolute", "accepted: an absolute path");
        }

        @ParameterizedTest
        @ValueSource(strings = {"fifo", "unix", "unixgram"})
        void emptyPath(String scheme) {
            refused(scheme + ":", "", "the path is empty", "absolute path");
        }

        @Test
        void badSysvKey() {
            refused("sysvmq:jobs", "jobs", "neither a number nor an absolute path", "non-zero int key");
            refused("sysvmq:0", "0", "IPC_PRIVATE", "non-zero int key");
            refused("sysvsem:0x0", "0x0", "IPC_PRIVATE");
            refused("sysvmq:0x100000000", "0x100000000", "does not fit 32 bits");
            refused("sysvsem:", "", "the key is empty");
            refused("sysvmq:run/x", "run/x", "neither a number nor an absolute path");
        }

        @ParameterizedTest
        @CsvSource({"tcp://h:65536,65536", "tcp://h:abc,abc", "tcp://h:,''", "udp://h:-1,-1", "tcp://h:123456,123456",
                "tcp://h:80/x,80/x", "udp://[::1]:1x,1x"})
        void badPort(String address, String port) {
            refused(address, port, "bad port '" + port + "'", "port 0 to 65535");
        }

        @Test
        void missingPortOrSlashesOrHost() {
            refused("tcp://localhost", "localhost", "no port", "//host:port");
            refused("tcp:localhost:80", "localhost:80", "expected '//'", "//host:port");
            refused("udp://:80", "", "bad host", "//host:port");
            refused("tcp://::1:80", "::1", "bad host", "IPv6 host in brackets");
            refused("tcp://[::1:80", "[::1", "unclosed or empty IPv6 brackets");
            refused("tcp://[]:80", "[]", "unclosed or empty IPv6 brackets");
            refused("tcp://a/b:80", "a/b", "bad host");
        }

        @Test
        void pipeTakesNothingBeforeTheQuery() {
            refused("pipe:foo?read=3", "foo", "nothing may stand between 'pipe:' and '?'", "pipe:?read=3&write=4");
        }

        @Test
        void duplicateKey() {
            refused("mq:/a?create&create", "create", "appears twice", "give each key once");
            refused("tcp://h:1?timeout=1s&timeout=2s", "timeout", "appears twice");
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "1", "on", "no"})
        void badFlagValue(String value) {
            refused("mq:/a?create=" + value, "create", "create=" + value, "accepted: no value (?create), true or false");
            refused("mq:/a?exclusive=" + value, "exclusive", "exclusive=" + value, "true or false");
        }

        @Test
        void badFlagValueThroughTheGetter() throws Exception {
            IpcAddress a = IpcAddress.parse("unix:/s?abstract=maybe");
            check(assertThrows(InvalidAddressException.class, () -> a.flag("abstract")), "unix:/s?abstract=maybe",
                    "abstract", "abstract=maybe", "true or false");
        }

        @ParameterizedTest
        @CsvSource({"'mq:/a?1x=2','1x=2'", "'mq:/a?&create','&create'", "'mq:/a?create&','create&'",
                "'mq:/a?a b=1','a b=1'"})
        void badQueryKey(String address, String pairHint) {
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> IpcAddress.parse(address));
            assertTrue(e.getMessage().contains("bad query key"), e.getMessage());
            assertTrue(e.getMessage().contains("keys are letters, digits"), e.getMessage());
            assertTrue(pairHint.contains(e.part()), "part '" + e.part() + "' is a piece of " + pairHint);
        }
    }
}
