package org.ipc4j.internal;

import java.time.Duration;
import java.util.Locale;
import org.ipc4j.InvalidAddressException;

/** Parses the typed values of query keys; each error names the address, the key and what is accepted. */
public final class QueryValues {
    private static final String SIZE_ACCEPTED =
            "a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB, such as 4096 or 64KiB";
    private static final String DURATION_ACCEPTED =
            "a whole number with a unit ns, us, ms, s, m or h, such as 250ms or 5s (0 needs no unit)";
    private static final String MODE_ACCEPTED = "octal permission bits 0 to 0777, such as 0600 or 640";

    private QueryValues() {
    }

    /** A size in bytes. */
    public static long size(String address, String key, String value) throws InvalidAddressException {
        String v = value.trim();
        int split = 0;
        while (split < v.length() && Character.isDigit(v.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw bad(address, key, value, SIZE_ACCEPTED);
        }
        long multiplier;
        switch (v.substring(split)) {
            case "", "B" -> multiplier = 1L;
            case "KiB" -> multiplier = 1L << 10;
            case "MiB" -> multiplier = 1L << 20;
            case "GiB" -> multiplier = 1L << 30;
            case "TiB" -> multiplier = 1L << 40;
            default -> throw bad(address, key, value, SIZE_ACCEPTED);
        }
        try {
            return Math.multiplyExact(Long.parseLong(v.substring(0, split)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw bad(address, key, value, SIZE_ACCEPTED + ", at most " + Long.MAX_VALUE + " bytes");
        }
    }

    /** A non-negative duration. */
    public static Duration duration(String address, String key, String value) throws InvalidAddressException {
        String v = value.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        int split = 0;
        while (split < v.length() && Character.isDigit(v.charAt(split))) {
            split++;
        }
        if (split == 0 || split == v.length()) {
            throw bad(address, key, value, DURATION_ACCEPTED);
        }
        long amount;
        try {
            amount = Long.parseLong(v.substring(0, split));
        } catch (NumberFormatException e) {
            throw bad(address, key, value, DURATION_ACCEPTED);
        }
        try {
            return switch (v.substring(split)) {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw bad(address, key, value, DURATION_ACCEPTED);
            };
        } catch (ArithmeticException e) {
            throw bad(address, key, value, DURATION_ACCEPTED);
        }
    }

    /** Octal permission bits. */
    public static int mode(String address, String key, String value) throws InvalidAddressException {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 4) {
            throw bad(address, key, value, MODE_ACCEPTED);
        }
        int mode = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '7') {
                throw bad(address, key, value, MODE_ACCEPTED);
            }
            mode = mode * 8 + (c - '0');
        }
        if (mode > 0777) {
            throw bad(address, key, value, MODE_ACCEPTED + " (setuid, setgid and sticky bits are refused)");
        }
        return mode;
    }

    /** A flag: present without value, or {@code true}/{@code false}. */
    public static boolean flag(String address, String key, String value) throws InvalidAddressException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw bad(address, key, value, "no value (?" + key + "), true or false");
        };
    }

    /** A whole number within {@code [min, max]}; decimal or 0x hex. */
    public static long integer(String address, String key, String value, long min, long max)
            throws InvalidAddressException {
        String v = value.trim();
        String accepted = "a whole number from " + min + " to " + max;
        long n;
        try {
            n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(address, key, value, accepted);
        }
        if (n < min || n > max) {
            throw bad(address, key, value, accepted);
        }
        return n;
    }

    private static InvalidAddressException bad(String address, String key, String value, String accepted) {
        return new InvalidAddressException(address, key,
                "bad value for '" + key + "' in address '" + address + "': " + key + "=" + value
                        + "; accepted: " + accepted);
    }
}
