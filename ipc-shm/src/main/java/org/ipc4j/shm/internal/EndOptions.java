package org.ipc4j.shm.internal;

import org.ipc4j.IpcAddress;
import org.ipc4j.InvalidAddressException;

/**
 * How one end of a shm channel behaves, from its address: the wait strategy, and whether one
 * thread alone sends ({@code singleSender}) or receives ({@code singleReceiver}), so that those
 * calls take no lock.
 */
record EndOptions(WaitStrategy waitStrategy, boolean singleSender, boolean singleReceiver) {
    /** The address keys these come from. */
    static final String[] KEYS = {"wait", "singleSender", "singleReceiver"};

    static EndOptions of(IpcAddress address) throws InvalidAddressException {
        return new EndOptions(WaitStrategy.of(address), address.flag("singleSender"), address.flag("singleReceiver"));
    }
}
