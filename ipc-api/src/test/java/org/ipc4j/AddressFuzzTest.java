package org.ipc4j;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random addresses built from the characters that matter to the parser: whatever comes in, parse
 * either succeeds or throws {@link InvalidAddressException} with a message; never another exception.
 */
class AddressFuzzTest {
    private static final String[] SCHEMES = {"pipe", "fifo", "mq", "sysvmq", "shm", "sem", "sysvsem", "tcp", "udp",
        "unix", "unixgram", "inproc", "other", "", "MQ"};
    private static final String ALPHABET = "/:?&=@[]0x9aZ.-_%\0 \u00e9";
    private static final String[] KEYS = {"create", "exclusive", "mode", "timeout", "size"};
    private static final String[] VALUES = {"", "true", "0600", "5s", "1MiB", "0", "-1", "99999999999999999999",
        "9223372036854775807h", "0x", "777", "x"};

    @Test
    void parseNeverThrowsAnythingButInvalidAddressException() {
        Random random = new Random(20261128L);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder(SCHEMES[random.nextInt(SCHEMES.length)]).append(':');
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (random.nextBoolean()) {
                s.append('?').append(KEYS[random.nextInt(KEYS.length)]);
                if (random.nextBoolean()) {
                    s.append('=').append(VALUES[random.nextInt(VALUES.length)]);
                }
            }
            String address = s.toString();
            try {
                IpcAddress a = IpcAddress.parse(address);
                a.size("size", 0);
                assertNotNull(a.name());
            } catch (InvalidAddressException e) {
                assertNotNull(e.getMessage());
                assertNotNull(e.part());
            } catch (RuntimeException e) {
                fail("parse('" + address.replace("\0", "\\0") + "') threw " + e, e);
            }
        }
    }
}
