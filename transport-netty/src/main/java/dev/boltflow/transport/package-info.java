/**
 * The node's view of its peers: {@link dev.boltflow.transport.PeerManager} dials, listens and keeps
 * one {@link dev.boltflow.transport.PeerConnection} per node id; each connection is BOLT 8
 * authenticated and has exchanged BOLT 1 {@code init}. Limits live in
 * {@link dev.boltflow.transport.TransportConfig}; every connection ends with a
 * {@link dev.boltflow.transport.CloseReason}. No Netty type appears here.
 */
package dev.boltflow.transport;
