package org.ipc4j.socket;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.ipc4j.Channel;

/**
 * A {@link Channel} that can pass open file descriptors (SCM_RIGHTS) with a message: Unix stream
 * channels ({@code unix:}) opened with the default junixsocket implementation, which declare
 * {@link Channel.Property#FD_PASSING}.
 *
 * <p>The descriptors travel with the message's first byte and are delivered with that message: after
 * a receive returned it, {@link #receivedDescriptors()} hands them to the caller. Descriptors not
 * taken before the next receive are closed, so none leak.
 */
public interface DescriptorChannel extends Channel {

    /**
     * Sends one message with {@code descriptors} attached. The descriptors stay open here too; the
     * peer gets its own copies.
     *
     * @throws IllegalArgumentException if no descriptor is given or one is not valid
     * @throws IOException as {@link Channel#send(ByteBuffer)}
     */
    void send(ByteBuffer message, FileDescriptor... descriptors) throws IOException;

    /**
     * The descriptors that arrived with the message the last receive returned, now owned by the
     * caller; empty if none. Each call hands them over once: a second call returns an empty list.
     */
    List<PassedDescriptor> receivedDescriptors();

    /**
     * {@code channel} as a descriptor channel.
     *
     * @throws IllegalArgumentException if the channel cannot pass descriptors; the message names it
     *     and its properties
     */
    static DescriptorChannel of(Channel channel) {
        if (channel instanceof DescriptorChannel d && channel.properties().contains(Channel.Property.FD_PASSING)) {
            return d;
        }
        throw new IllegalArgumentException("channel '" + channel.address() + "' cannot pass file descriptors; its"
                + " properties are " + channel.properties() + "; use a unix: stream address with impl=junixsocket");
    }
}
