package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;

/**
 * BOLT 1 {@code sciddir_or_pubkey}: a 33-byte node id (first byte 02/03), or 9 bytes of direction
 * (00/01) and short channel id naming the end of a channel.
 */
public sealed interface SciddirOrPubkey {

    void writeTo(ByteWriter w);

    /** The node id, when this is one. */
    default java.util.Optional<PublicKey> nodeId() {
        return java.util.Optional.empty();
    }

    record NodeId(PublicKey key) implements SciddirOrPubkey {
        public NodeId {
            java.util.Objects.requireNonNull(key, "key");
        }

        @Override
        public void writeTo(ByteWriter w) {
            w.bytes(key.bytes());
        }

        @Override
        public java.util.Optional<PublicKey> nodeId() {
            return java.util.Optional.of(key);
        }
    }

    /** {@code direction} 0 or 1 picks node_id_1 or node_id_2 of the channel's announcement. */
    record Sciddir(int direction, long shortChannelId) implements SciddirOrPubkey {
        public Sciddir {
            if (direction != 0 && direction != 1) {
                throw new DecodeException("sciddir direction must be 0 or 1, got " + direction);
            }
        }

        @Override
        public void writeTo(ByteWriter w) {
            w.u8(direction).u64(shortChannelId);
        }
    }

    static SciddirOrPubkey read(ByteReader r, String what) {
        int first = r.u8(what);
        if (first == 0 || first == 1) {
            return new Sciddir(first, r.u64(what + " short_channel_id"));
        }
        if (first == 2 || first == 3) {
            byte[] key = new byte[33];
            key[0] = (byte) first;
            System.arraycopy(r.bytes(32, what), 0, key, 1, 32);
            return new NodeId(PublicKey.fromBytes(key));
        }
        throw new DecodeException(what + ": sciddir_or_pubkey must start with 00, 01, 02 or 03, got " + first);
    }

    static SciddirOrPubkey of(PublicKey key) {
        return new NodeId(key);
    }
}
