/**
 * Onion messages over BOLT 8 connections: {@link dev.boltflow.node.messaging.PeerOnionMessenger}
 * is the node's {@link dev.boltflow.core.sendinvoice.OnionMessenger}. It is the one reader of every
 * peer connection's inbound messages (a {@link dev.boltflow.transport.PeerConnection} allows one
 * subscriber, and reads follow its demand): it holds each connection to its
 * {@link dev.boltflow.node.messaging.OnionMessageLimits} before any Sphinx work, peels the onion
 * messages within them, relays them to connected next hops, delivers ours, and hands every other
 * message on through
 * {@link dev.boltflow.node.messaging.PeerOnionMessenger#peerMessages()}. Other components dial
 * through {@link dev.boltflow.node.messaging.PeerOnionMessenger#connect} (or hand a connection
 * they made to {@link dev.boltflow.node.messaging.PeerOnionMessenger#attach}) and never subscribe
 * to a connection's {@code inbound()} themselves.
 */
package dev.boltflow.node.messaging;
