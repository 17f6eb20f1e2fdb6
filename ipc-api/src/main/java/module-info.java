/**
 * ipc4j API: {@link org.ipc4j.Channel}, {@link org.ipc4j.ChannelListener}, {@link org.ipc4j.MessageQueue},
 * {@link org.ipc4j.SharedRegion}, {@link org.ipc4j.Semaphore}, signals, the {@link org.ipc4j.Ipc} facade
 * and the provider SPI.
 */
module org.ipc4j {
    exports org.ipc4j;
    exports org.ipc4j.spi;
    uses org.ipc4j.spi.IpcProvider;
}
