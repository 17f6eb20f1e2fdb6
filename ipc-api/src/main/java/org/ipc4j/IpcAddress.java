package org.ipc4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.ipc4j.internal.AddressParser;
import org.ipc4j.internal.ParsedAddress;
import org.ipc4j.internal.QueryValues;

/**
 * A parsed IPC address: {@code scheme:name?key=value&flag}, as in {@code mq:/jobs?create&capacity=10},
 * {@code tcp://127.0.0.1:7000}, {@code unix:@svc} or {@code pipe:?read=3&write=4}.
 *
 * <p>{@link #parse(String)} checks the name against its scheme's rules (single-component names for
 * {@code mq:}, {@code shm:}, {@code sem:}; absolute paths; Unix path length; host and port) and the
 * values of the keys common to every scheme:
 * <ul>
 *   <li>{@code create} — create the object if absent (flag);</li>
 *   <li>{@code exclusive} — fail if it exists (flag; implies create);</li>
 *   <li>{@code mode} — octal permissions for a created object, default {@code 0600};</li>
 *   <li>{@code timeout} — how long opening or connecting may block, such as {@code 5s}.</li>
 * </ul>
 * Providers declare the other keys they accept with {@link #checkKeys(String...)} and read typed
 * values: sizes with units ({@code 64KiB}), durations ({@code 250ms}), octal modes, flags and whole
 * numbers. Every error is an {@link InvalidAddressException} naming the address, the bad part and
 * what is accepted. Instances are immutable.
 */
public final class IpcAddress {

    /** Query keys every scheme accepts. */
    public static final Set<String> COMMON_KEYS = Set.of("create", "exclusive", "mode", "timeout");

    /** The mode of created objects unless {@code mode=} says otherwise: owner read and write only. */
    public static final int DEFAULT_MODE = 0600;

    private final ParsedAddress parsed;

    private IpcAddress(ParsedAddress parsed) {
        this.parsed = parsed;
    }

    /**
     * Parses an address.
     *
     * @throws InvalidAddressException if it is malformed; the message names the bad part and what is accepted
     * @throws NullPointerException if {@code text} is null
     */
    public static IpcAddress parse(String text) throws InvalidAddressException {
        IpcAddress address = new IpcAddress(AddressParser.parse(text));
        address.flag("create");
        address.flag("exclusive");
        address.mode();
        address.timeout(Duration.ZERO);
        return address;
    }

    /** The address exactly as given. */
    public String text() {
        return parsed.text();
    }

    /** The scheme, such as {@code mq} or {@code tcp}. */
    public String scheme() {
        return parsed.scheme();
    }

    /**
     * What names the object: {@code /jobs} for {@code mq:/jobs}, the path for {@code fifo:} and
     * {@code unix:}, {@code @svc} for an abstract Unix name, {@code host:port} for {@code tcp:} and
     * {@code udp:}, the key or path for SysV schemes; empty for {@code pipe:}.
     */
    public String name() {
        return parsed.name();
    }

    /**
     * The host of a {@code tcp:} or {@code udp:} address (without IPv6 brackets).
     *
     * @throws IllegalStateException if this scheme has no host
     */
    public String host() {
        if (parsed.host() == null) {
            throw new IllegalStateException("address '" + text() + "' has no host");
        }
        return parsed.host();
    }

    /**
     * The port of a {@code tcp:} or {@code udp:} address, 0 to 65535.
     *
     * @throws IllegalStateException if this scheme has no port
     */
    public int port() {
        if (parsed.port() < 0) {
            throw new IllegalStateException("address '" + text() + "' has no port");
        }
        return parsed.port();
    }

    /** True for a Unix socket in the Linux abstract namespace ({@code unix:@name}). */
    public boolean isAbstract() {
        return (scheme().equals("unix") || scheme().equals("unixgram")) && name().startsWith("@");
    }

    /** The numeric key of a SysV address; empty if the address names a path for {@code ftok}. */
    public OptionalInt sysvKey() {
        return parsed.key() == null ? OptionalInt.empty() : OptionalInt.of(parsed.key());
    }

    /** The query, in order; a flag given without value maps to {@code ""}. */
    public Map<String, String> query() {
        return parsed.query();
    }

    /** True if the query has {@code key}, with or without a value. */
    public boolean has(String key) {
        return parsed.query().containsKey(key);
    }

    /** The raw value of {@code key}, or empty if absent. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(parsed.query().get(key));
    }

    /**
     * A flag: true if present without value or {@code =true}, false if absent or {@code =false}.
     *
     * @throws InvalidAddressException for any other value
     */
    public boolean flag(String key) throws InvalidAddressException {
        String v = parsed.query().get(key);
        return v != null && QueryValues.flag(text(), key, v);
    }

    /**
     * A size in bytes, with an optional unit B, KiB, MiB, GiB or TiB; {@code defaultValue} if absent.
     *
     * @throws InvalidAddressException if malformed
     */
    public long size(String key, long defaultValue) throws InvalidAddressException {
        String v = parsed.query().get(key);
        return v == null ? defaultValue : QueryValues.size(text(), key, v);
    }

    /**
     * A duration with a unit ns, us, ms, s, m or h; {@code defaultValue} if absent.
     *
     * @throws InvalidAddressException if malformed
     */
    public Duration duration(String key, Duration defaultValue) throws InvalidAddressException {
        String v = parsed.query().get(key);
        return v == null ? defaultValue : QueryValues.duration(text(), key, v);
    }

    /**
     * A whole number (decimal or 0x hex) within {@code [min, max]}; {@code defaultValue} if absent.
     *
     * @throws InvalidAddressException if malformed or out of range; the message gives the range
     */
    public long integer(String key, long defaultValue, long min, long max) throws InvalidAddressException {
        String v = parsed.query().get(key);
        return v == null ? defaultValue : QueryValues.integer(text(), key, v, min, max);
    }

    /** True if {@code create} or {@code exclusive} is given. */
    public boolean create() throws InvalidAddressException {
        return flag("create") || flag("exclusive");
    }

    /** True if {@code exclusive} is given: creating must not find the object already there. */
    public boolean exclusive() throws InvalidAddressException {
        return flag("exclusive");
    }

    /** The octal {@code mode} for created objects, {@link #DEFAULT_MODE} if absent. */
    public int mode() throws InvalidAddressException {
        String v = parsed.query().get("mode");
        return v == null ? DEFAULT_MODE : QueryValues.mode(text(), "mode", v);
    }

    /** The {@code timeout} for opening or connecting, {@code defaultValue} if absent. */
    public Duration timeout(Duration defaultValue) throws InvalidAddressException {
        return duration("timeout", defaultValue);
    }

    /**
     * Refuses query keys other than the {@link #COMMON_KEYS} and {@code backendKeys}.
     *
     * @throws InvalidAddressException naming the first unknown key and listing every accepted one
     */
    public void checkKeys(String... backendKeys) throws InvalidAddressException {
        Set<String> accepted = new LinkedHashSet<>(Arrays.asList(backendKeys));
        accepted.addAll(COMMON_KEYS);
        for (String key : parsed.query().keySet()) {
            if (!accepted.contains(key)) {
                List<String> sorted = new ArrayList<>(accepted);
                sorted.sort(null);
                throw new InvalidAddressException(text(), key, "unknown query key '" + key + "' in address '"
                        + text() + "'; accepted for " + scheme() + ": " + String.join(", ", sorted));
            }
        }
    }

    /** An {@link InvalidAddressException} about {@code part} of this address, for providers' own checks. */
    public InvalidAddressException invalid(String part, String message) {
        return new InvalidAddressException(text(), part, "bad address '" + text() + "': " + message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpcAddress other && other.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    /** The address as given. */
    @Override
    public String toString() {
        return text();
    }
}
