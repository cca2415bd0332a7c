package dev.boltflow.node.messaging;

import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.transport.PeerConnection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Takes a connection's BOLT 7 messages off the {@link PeerOnionMessenger}, which is the single
 * reader of every connection: it is called once per connection it attaches, with that connection's
 * gossip in the order it arrived. What it does not request is not read (backpressure reaches the
 * socket). The returned publisher completes when the connection's messages end.
 */
@FunctionalInterface
public interface PeerGossip {
    Publisher<Void> handle(PeerConnection from, Flux<GossipMessage> messages);
}
