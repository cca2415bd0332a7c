package dev.boltflow.core.gossip;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.Ecdsa;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.Point;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The signatures of BOLT 7's three signed messages: each is an ECDSA signature of the double-SHA256
 * of the message from a fixed offset to its end ("including any future fields appended"), so the
 * hash is taken over the encoded message, never over re-built fields. Signing here writes the
 * messages a node (or a test standing in for one) announces.
 */
public final class GossipSignatures {
    private static final EcdsaSignature BLANK = new EcdsaSignature(Bytes.wrap(new byte[64]));

    private GossipSignatures() {
    }

    /** BOLT 7: "the double-SHA256 hash h of the message, beginning at offset 256" of its payload. */
    public static Bytes32 hash(ChannelAnnouncement m) {
        byte[] encoded = WireCodec.encode(m);
        return Ecdsa.doubleSha256(encoded, ChannelAnnouncement.SIGNED_FROM, encoded.length);
    }

    /** BOLT 7: "the double-SHA256 of the entire remaining packet after signature". */
    public static Bytes32 hash(NodeAnnouncement m) {
        byte[] encoded = WireCodec.encode(m);
        return Ecdsa.doubleSha256(encoded, NodeAnnouncement.SIGNED_FROM, encoded.length);
    }

    public static Bytes32 hash(ChannelUpdate m) {
        byte[] encoded = WireCodec.encode(m);
        return Ecdsa.doubleSha256(encoded, ChannelUpdate.SIGNED_FROM, encoded.length);
    }

    /** Which check a message failed. */
    public enum Failure {
        /** A {@code node_id} or {@code bitcoin_key} is not a valid compressed point. */
        INVALID_POINT,
        NODE_SIGNATURE_1,
        NODE_SIGNATURE_2,
        BITCOIN_SIGNATURE_1,
        BITCOIN_SIGNATURE_2,
        /** The one signature of a {@code node_announcement} or {@code channel_update}. */
        SIGNATURE
    }

    /**
     * BOLT 7, receiving a {@code channel_announcement}: "MUST verify the integrity AND authenticity of
     * the message by verifying the signatures" — both node signatures and both bitcoin signatures
     * of the one hash. Returns the first check that fails, or null when all four hold.
     */
    public static Failure verify(ChannelAnnouncement m) {
        PublicKey n1;
        PublicKey n2;
        try {
            n1 = m.nodeId1().toPublicKey();
            n2 = m.nodeId2().toPublicKey();
        } catch (DecodeException e) {
            return Failure.INVALID_POINT;
        }
        return verify(m, n1, n2);
    }

    /** As {@link #verify(ChannelAnnouncement)} with the node ids already parsed. */
    public static Failure verify(ChannelAnnouncement m, PublicKey n1, PublicKey n2) {
        PublicKey b1;
        PublicKey b2;
        try {
            b1 = m.bitcoinKey1().toPublicKey();
            b2 = m.bitcoinKey2().toPublicKey();
        } catch (DecodeException e) {
            return Failure.INVALID_POINT;
        }
        Bytes32 h = hash(m);
        if (!Ecdsa.verify(n1, h, m.nodeSignature1())) {
            return Failure.NODE_SIGNATURE_1;
        }
        if (!Ecdsa.verify(n2, h, m.nodeSignature2())) {
            return Failure.NODE_SIGNATURE_2;
        }
        if (!Ecdsa.verify(b1, h, m.bitcoinSignature1())) {
            return Failure.BITCOIN_SIGNATURE_1;
        }
        if (!Ecdsa.verify(b2, h, m.bitcoinSignature2())) {
            return Failure.BITCOIN_SIGNATURE_2;
        }
        return null;
    }

    /** BOLT 7: the {@code node_announcement} signature by {@code node_id}; null when it holds. */
    public static Failure verify(NodeAnnouncement m) {
        PublicKey key;
        try {
            key = m.nodeId().toPublicKey();
        } catch (DecodeException e) {
            return Failure.INVALID_POINT;
        }
        return verify(m, key);
    }

    /** As {@link #verify(NodeAnnouncement)} with {@code node_id} already parsed (it must be that key). */
    public static Failure verify(NodeAnnouncement m, PublicKey nodeId) {
        return Ecdsa.verify(nodeId, hash(m), m.signature()) ? null : Failure.SIGNATURE;
    }

    /**
     * BOLT 7: a {@code channel_update} is signed by {@code node_id_1} of its channel's announcement
     * when its direction bit is 0, by {@code node_id_2} when it is 1; {@code signer} is that key.
     */
    public static Failure verify(ChannelUpdate m, Point signer) {
        PublicKey key;
        try {
            key = signer.toPublicKey();
        } catch (DecodeException e) {
            return Failure.INVALID_POINT;
        }
        return verify(m, key);
    }

    /** As {@link #verify(ChannelUpdate, Point)} with the signer's key already parsed. */
    public static Failure verify(ChannelUpdate m, PublicKey signer) {
        return Ecdsa.verify(signer, hash(m), m.signature()) ? null : Failure.SIGNATURE;
    }

    // ---- writing

    /**
     * A signed {@code channel_announcement} between the nodes of {@code nodeKeyA} and {@code nodeKeyB}
     * with their funding keys: {@code node_id_1} is the lesser of the two node ids (BOLT 7), and
     * each bitcoin key goes with its node.
     */
    public static ChannelAnnouncement channelAnnouncement(Bytes32 chainHash, ShortChannelId scid, Features features,
            PrivateKey nodeKeyA, PrivateKey nodeKeyB, PrivateKey bitcoinKeyA, PrivateKey bitcoinKeyB) {
        boolean aFirst = nodeKeyA.publicKey().compareTo(nodeKeyB.publicKey()) < 0;
        PrivateKey node1 = aFirst ? nodeKeyA : nodeKeyB;
        PrivateKey node2 = aFirst ? nodeKeyB : nodeKeyA;
        PrivateKey btc1 = aFirst ? bitcoinKeyA : bitcoinKeyB;
        PrivateKey btc2 = aFirst ? bitcoinKeyB : bitcoinKeyA;
        ChannelAnnouncement unsigned = new ChannelAnnouncement(BLANK, BLANK, BLANK, BLANK, features, chainHash, scid,
                Point.of(node1.publicKey()), Point.of(node2.publicKey()), Point.of(btc1.publicKey()),
                Point.of(btc2.publicKey()), Bytes.EMPTY);
        Bytes32 h = hash(unsigned);
        return new ChannelAnnouncement(Ecdsa.sign(node1, h), Ecdsa.sign(node2, h), Ecdsa.sign(btc1, h),
                Ecdsa.sign(btc2, h), features, chainHash, scid, unsigned.nodeId1(), unsigned.nodeId2(),
                unsigned.bitcoinKey1(), unsigned.bitcoinKey2(), Bytes.EMPTY);
    }

    /** A signed {@code node_announcement}; {@code alias} is UTF-8, at most 32 bytes, padded with zeros. */
    public static NodeAnnouncement nodeAnnouncement(PrivateKey key, long timestamp, Features features, Bytes rgbColor,
            String alias, List<NodeAddress> addresses) {
        byte[] aliasBytes = alias.getBytes(StandardCharsets.UTF_8);
        if (aliasBytes.length > 32) {
            throw new IllegalArgumentException("alias longer than 32 bytes");
        }
        NodeAnnouncement unsigned = new NodeAnnouncement(BLANK, features, timestamp, Point.of(key.publicKey()), rgbColor,
                Bytes.wrap(Arrays.copyOf(aliasBytes, 32)), NodeAddress.encodeAll(addresses), Bytes.EMPTY);
        return new NodeAnnouncement(Ecdsa.sign(key, hash(unsigned)), unsigned.features(), timestamp,
                unsigned.nodeId(), rgbColor, unsigned.alias(), unsigned.addresses(), Bytes.EMPTY);
    }

    /** A signed {@code channel_update} by {@code key}, which must be the end {@code channelFlags}' direction bit names. */
    public static ChannelUpdate channelUpdate(PrivateKey key, Bytes32 chainHash, ShortChannelId scid, long timestamp,
            int messageFlags, int channelFlags, int cltvExpiryDelta, long htlcMinimumMsat, long feeBaseMsat,
            long feeProportionalMillionths, long htlcMaximumMsat) {
        ChannelUpdate unsigned = new ChannelUpdate(BLANK, chainHash, scid, timestamp, messageFlags, channelFlags,
                cltvExpiryDelta, htlcMinimumMsat, feeBaseMsat, feeProportionalMillionths, htlcMaximumMsat, Bytes.EMPTY);
        return new ChannelUpdate(Ecdsa.sign(key, hash(unsigned)), chainHash, scid, timestamp, messageFlags,
                channelFlags, cltvExpiryDelta, htlcMinimumMsat, feeBaseMsat, feeProportionalMillionths,
                htlcMaximumMsat, Bytes.EMPTY);
    }
}
