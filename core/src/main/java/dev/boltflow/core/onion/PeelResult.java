package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node does with an incoming {@code onion_message} (BOLT 4, Onion Messages, reader):
 * forward it, take delivery, or ignore it. Onion messages get no error replies, so a bad message
 * is a {@link Drop}, never an exception.
 */
public sealed interface PeelResult {

    enum Kind { FORWARD, DELIVER, DROP }

    Kind kind();

    /** Send {@code onion_message(nextPathKey, nextPacket)} to {@code next}. */
    record Forward(NextHop next, PublicKey nextPathKey, Bytes nextPacket) implements PeelResult {
        public Forward {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(nextPathKey, "nextPathKey");
            Objects.requireNonNull(nextPacket, "nextPacket");
        }

        @Override
        public Kind kind() {
            return Kind.FORWARD;
        }

        @Override
        public String toString() {
            return "Forward[next=" + next + ", nextPathKey=" + nextPathKey + ", packet=" + nextPacket.length() + "B]";
        }
    }

    /**
     * The message is for us. {@code pathId} is the {@code path_id} from our own hop's encrypted
     * data, if the blinded path had one: check it with {@link ReplyPaths#recognise} before trusting
     * the message as a reply (BOLT 4: the final node MUST ignore a message using a path it
     * published in a context it was not published for).
     */
    record Deliver(OnionMessagePayload payload, Optional<Bytes> pathId) implements PeelResult {
        public Deliver {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(pathId, "pathId");
        }

        @Override
        public Kind kind() {
            return Kind.DELIVER;
        }

        @Override
        public String toString() {
            return "Deliver[" + payload + (pathId.isPresent() ? ", path_id present" : "") + "]";
        }
    }

    /** Ignore the message; {@code detail} is for logs (it holds no secret). */
    record Drop(Reason reason, String detail) implements PeelResult {
        public Drop {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Kind kind() {
            return Kind.DROP;
        }
    }

    /** Why a message was ignored. */
    enum Reason {
        /** Wrong version, size or public key (BOLT 4, Onion Decryption). */
        MALFORMED_PACKET,
        /** The HMAC does not match: tampered with, or not for us. */
        BAD_HMAC,
        /** The hop payload is not a valid {@code onionmsg_tlv} (or has an unknown even type). */
        INVALID_PAYLOAD,
        /** No {@code encrypted_recipient_data}: every onion message hop needs one. */
        MISSING_ENCRYPTED_DATA,
        /** {@code encrypted_recipient_data} does not decrypt, or is not a valid {@code encrypted_data_tlv}. */
        INVALID_ENCRYPTED_DATA,
        /** {@code allowed_features} names a feature (any set bit is unknown to us). */
        UNSUPPORTED_FEATURES,
        /** A hop to forward from carries more than {@code encrypted_recipient_data}. */
        UNEXPECTED_FIELDS,
        /** A hop to forward from carries a {@code path_id}. */
        PATH_ID_ON_RELAY,
        /** Neither {@code next_node_id} nor {@code short_channel_id}. */
        NO_NEXT_HOP,
        /** More than one of {@code invoice_request}, {@code invoice}, {@code invoice_error}. */
        MULTIPLE_PAYLOADS,
        /** More hops back to ourselves than any path of ours has. */
        TOO_MANY_DUMMY_HOPS
    }
}
