package org.ipc4j.testkit.contract;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Removes the keys that make an open create the object, for contracts that reopen what they made. */
final class CreateKeys {
    private CreateKeys() {
    }

    /** The address without {@code create} and {@code exclusive} (with or without a value) in its query. */
    static String strip(String address) {
        int q = address.indexOf('?');
        if (q < 0) {
            return address;
        }
        String query = Arrays.stream(address.substring(q + 1).split("&"))
                .filter(k -> !k.isEmpty() && !k.equals("create") && !k.startsWith("create=")
                        && !k.equals("exclusive") && !k.startsWith("exclusive="))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? address.substring(0, q) : address.substring(0, q + 1) + query;
    }
}
