/**
 * BOLT 7, the channel graph: {@link dev.boltflow.core.gossip.ChannelGraph} (verified, bounded,
 * newest by timestamp), the signature rules ({@link dev.boltflow.core.gossip.GossipSignatures}),
 * ingestion in parallel and in order ({@link dev.boltflow.core.gossip.GossipIngest}), the chain
 * check as a port ({@link dev.boltflow.core.gossip.FundingOutputs}), and the graph behind the
 * {@link dev.boltflow.core.sendinvoice.NetworkView} port
 * ({@link dev.boltflow.core.gossip.GraphNetworkView}). The messages themselves are
 * {@link dev.boltflow.core.wire.GossipMessage}. Pure: no I/O, no clock.
 */
package dev.boltflow.core.gossip;
