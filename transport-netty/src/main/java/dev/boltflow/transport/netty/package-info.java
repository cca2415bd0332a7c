/**
 * The Netty side: per-channel handlers ({@link dev.boltflow.transport.netty.NoiseHandler} for
 * BOLT 8, {@link dev.boltflow.transport.netty.WireCodecHandler},
 * {@link dev.boltflow.transport.netty.Bolt1Handler}, {@link dev.boltflow.transport.netty.OutboundQueueHandler})
 * and {@link dev.boltflow.transport.netty.NettyPeerManager}, which installs them ahead of
 * reactor-netty's reactive bridge. Buffers never leave these handlers: inbound, the BOLT 8 handler
 * hands on {@code byte[]} messages and the bridge sees only {@link dev.boltflow.core.wire.WireMessage} records.
 */
package dev.boltflow.transport.netty;
