package dev.boltflow.core.gossip;

import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import java.util.OptionalLong;
import reactor.core.publisher.Mono;

/**
 * Outbound port: the chain check BOLT 7 asks of a {@code channel_announcement} receiver ("if the
 * short_channel_id's output does NOT correspond to a P2WSH (using bitcoin_key_1 and bitcoin_key_2)
 * OR the output is spent: MUST ignore the message"; six confirmations). boltflow has no chain source
 * of its own: {@link #unchecked()} accepts every well-signed announcement, as LDK does without a UTXO
 * lookup. A host node with a chain backend fills this port, and reports spent outputs to
 * {@link ChannelGraph#fundingSpent}.
 */
public interface FundingOutputs {

    /** The outcome of a check. */
    record Check(boolean accepted, OptionalLong capacitySat, String reason) {
        public static Check accepted(OptionalLong capacitySat) {
            return new Check(true, capacitySat, "");
        }

        public static Check refused(String reason) {
            return new Check(false, OptionalLong.empty(), reason);
        }
    }

    /** Looks the funding output up; never fails (a lookup error is a refusal with its reason). */
    Mono<Check> check(ChannelAnnouncement announcement);

    /** True when this port checks nothing. */
    default boolean checksNothing() {
        return false;
    }

    /** No chain source: every announcement is accepted, capacity unknown. */
    static FundingOutputs unchecked() {
        return new FundingOutputs() {
            private final Mono<Check> accept = Mono.just(Check.accepted(OptionalLong.empty()));

            @Override
            public Mono<Check> check(ChannelAnnouncement announcement) {
                return accept;
            }

            @Override
            public boolean checksNothing() {
                return true;
            }
        };
    }
}
