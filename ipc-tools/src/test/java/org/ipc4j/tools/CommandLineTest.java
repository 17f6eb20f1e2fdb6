package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ipc4j.InvalidAddressException;
import org.ipc4j.IpcAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class CommandLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "bench", "ls", "rm", "send", "recv"})
    void everySubcommandHasHelp(String sub) {
        Cli.Result r = sub.isEmpty() ? Cli.run("--help") : Cli.run(sub, "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: ipc"), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mq:jobs", "tcp://127.0.0.1:99999", "udp://127.0.0.1:5?nosuchkey=1", "sem:/a/b"})
    void badAddressExitsTwoWithTheParsersMessage(String address) {
        InvalidAddressException parser;
        try {
            org.ipc4j.Ipc.connect(address);
            throw new AssertionError("the parser accepted " + address);
        } catch (InvalidAddressException e) {
            parser = e;
        } catch (java.io.IOException e) {
            throw new AssertionError("expected InvalidAddressException for " + address, e);
        }
        for (String[] args : new String[][] {{"send", address, "x"}, {"recv", address, "--timeout", "1s"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains(parser.getMessage()), "stderr must carry the parser's message: " + r);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        }
    }

    @Test
    void parserRefusesWhatTheToolRefuses() {
        assertThrows(InvalidAddressException.class, () -> IpcAddress.parse("mq:jobs"));
    }

    @Test
    void unknownSchemeExitsTwoListingTheSchemes() {
        Cli.Result r = Cli.run("send", "bogus:/x", "hi");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("unknown scheme 'bogus'") && r.err().contains("tcp"), r.toString());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, Cli.run().code());
        assertEquals(2, Cli.run("nosuchcommand").code());
        assertEquals(2, Cli.run("recv", "tcp://127.0.0.1:1", "--count", "-1").code());
        assertEquals(2, Cli.run("recv", "tcp://127.0.0.1:1", "--timeout", "soon").code());
        assertEquals(2, Cli.run("demo", "-m", "carrier-pigeon").code());
        assertEquals(2, Cli.run("rm").code());
        Cli.Result r = Cli.run("rm", "nonsense");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("accepted: shm:/NAME"), r.toString());
    }

    @Test
    void operationFailureExitsOneWithOneLine() {
        Cli.Result r = Cli.run("send", "tcp://127.0.0.1:1?timeout=2s", "hi");
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
    }
}
