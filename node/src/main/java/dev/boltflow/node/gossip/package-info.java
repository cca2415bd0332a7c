/**
 * The node's part in BOLT 7 gossip: {@link dev.boltflow.node.gossip.GossipManager} (per peer:
 * ingest, ask, answer, relay) and {@link dev.boltflow.node.gossip.FileGossipStore} (the graph in
 * {@code DIR/NETWORK/gossip_store} across restarts).
 */
package dev.boltflow.node.gossip;
