package org.ipc4j;

/**
 * A message does not fit: either a send larger than the object's maximum message size, or a
 * received message larger than the caller's buffer. The message names both sizes.
 *
 * <p>On send nothing was sent. On receive, {@link #discarded()} says whether the message is still in
 * place for a retry with a larger buffer ({@code false}) or was consumed and lost because the
 * transport cannot leave it in place ({@code true}, for example a datagram).
 */
public final class MessageTooLargeException extends IpcException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;
    private final boolean discarded;

    /**
     * @param object the channel or queue
     * @param what "message" on send, "buffer" on receive, for the wording
     * @param size the message's size in bytes
     * @param limit the size allowed (maximum message size, or the buffer's remaining space)
     * @param discarded true if the message was consumed and lost
     */
    public MessageTooLargeException(String object, String what, long size, long limit, boolean discarded) {
        super(object, describe(object, what, size, limit, discarded));
        this.size = size;
        this.limit = limit;
        this.discarded = discarded;
    }

    private static String describe(String object, String what, long size, long limit, boolean discarded) {
        String base = "buffer".equals(what)
                ? "message of size=" + size + " on '" + object + "' does not fit the buffer's remaining=" + limit
                : "message of size=" + size + " exceeds maxMessageSize=" + limit + " of '" + object + "'";
        if ("buffer".equals(what)) {
            return base + (discarded ? "; the transport cannot keep it, so it was discarded"
                    : "; it was left in place, receive again with a larger buffer");
        }
        return base + "; nothing was sent";
    }

    /** The message's size in bytes. */
    public long size() {
        return size;
    }

    /** The size that was allowed. */
    public long limit() {
        return limit;
    }

    /** True if the message was consumed and lost, false if it is still in place. */
    public boolean discarded() {
        return discarded;
    }
}
