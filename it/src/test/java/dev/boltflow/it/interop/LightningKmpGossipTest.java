package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.gossip.ChannelGraph;
import dev.boltflow.core.gossip.GossipOutcome;
import dev.boltflow.core.gossip.GossipSignatures;
import dev.boltflow.core.gossip.GraphLimits;
import dev.boltflow.core.gossip.NodeAddress;
import dev.boltflow.core.wire.GossipMessage;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.ShortChannelId;
import dev.boltflow.core.wire.WireCodec;
import fr.acinq.bitcoin.BlockHash;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.ByteVector64;
import fr.acinq.bitcoin.Crypto;
import fr.acinq.lightning.CltvExpiryDelta;
import fr.acinq.lightning.MilliSatoshi;
import fr.acinq.lightning.router.Announcements;
import fr.acinq.lightning.wire.LightningMessage;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Gossip written by lightning-kmp (ACINQ's Kotlin implementation, signing with libsecp256k1 through
 * secp256k1-kmp) for random keys: our codec reads it, our graph verifies and stores it, and what we
 * write for the same keys and fields is the same bytes (our RFC 6979 low-s ECDSA gives
 * libsecp256k1's signatures). lightning-kmp 1.8.4 writes {@code channel_update}
 * ({@code Announcements.makeChannelUpdate}) and reads and writes {@code channel_announcement}
 * ({@code ChannelAnnouncement}, signed here with its {@code Crypto.sign} over its own serialisation);
 * it has no {@code node_announcement} type, so for that one only the signature is its
 * ({@code Crypto.sign} of {@code Crypto.hash256}) over our serialisation.
 */
class LightningKmpGossipTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Bytes32 CHAIN = ChainHashes.BITCOIN;

    private static fr.acinq.bitcoin.PrivateKey kmp(PrivateKey key) {
        return new fr.acinq.bitcoin.PrivateKey(key.toBytes());
    }

    private static fr.acinq.bitcoin.PublicKey kmpPub(PrivateKey key) {
        return new fr.acinq.bitcoin.PublicKey(key.publicKey().toArray());
    }

    private static byte[] encode(LightningMessage m) {
        return LightningMessage.Companion.encode(m);
    }

    @RepeatedTest(10)
    void gossipWrittenByLightningKmp_isVerifiedAndStored_andOursIsTheSameBytes() {
        PrivateKey a = PrivateKey.random(RANDOM);
        PrivateKey b = PrivateKey.random(RANDOM);
        PrivateKey fa = PrivateKey.random(RANDOM);
        PrivateKey fb = PrivateKey.random(RANDOM);
        boolean aFirst = a.publicKey().compareTo(b.publicKey()) < 0;
        PrivateKey n1 = aFirst ? a : b;
        PrivateKey n2 = aFirst ? b : a;
        PrivateKey b1 = aFirst ? fa : fb;
        PrivateKey b2 = aFirst ? fb : fa;
        long scid = ShortChannelId.of(750_000 + RANDOM.nextInt(1000), RANDOM.nextInt(3000), RANDOM.nextInt(4)).value();
        long now = System.currentTimeMillis() / 1000 - RANDOM.nextInt(3600);
        BlockHash chain = new BlockHash(CHAIN.toArray());

        // channel_announcement: lightning-kmp's serialisation, signed by libsecp256k1.
        ByteVector64 zero = new ByteVector64(new byte[64]);
        fr.acinq.lightning.wire.ChannelAnnouncement unsigned = new fr.acinq.lightning.wire.ChannelAnnouncement(zero, zero,
                zero, zero, fr.acinq.lightning.Features.Companion.getEmpty(), chain,
                new fr.acinq.lightning.ShortChannelId(scid), kmpPub(n1), kmpPub(n2), kmpPub(b1), kmpPub(b2),
                ByteVector.empty);
        byte[] unsignedBytes = encode(unsigned);
        byte[] witness = Crypto.hash256(Arrays.copyOfRange(unsignedBytes, 2 + 256, unsignedBytes.length));
        fr.acinq.lightning.wire.ChannelAnnouncement theirs = new fr.acinq.lightning.wire.ChannelAnnouncement(
                Crypto.sign(witness, kmp(n1)), Crypto.sign(witness, kmp(n2)), Crypto.sign(witness, kmp(b1)),
                Crypto.sign(witness, kmp(b2)), fr.acinq.lightning.Features.Companion.getEmpty(), chain,
                new fr.acinq.lightning.ShortChannelId(scid), kmpPub(n1), kmpPub(n2), kmpPub(b1), kmpPub(b2),
                ByteVector.empty);
        byte[] theirAnnouncement = encode(theirs);

        // channel_update of each end: entirely lightning-kmp's.
        byte[] theirUpdateA = encode(Announcements.INSTANCE.makeChannelUpdate(chain, kmp(a), kmpPub(b),
                new fr.acinq.lightning.ShortChannelId(scid), new CltvExpiryDelta(144), new MilliSatoshi(1_000),
                new MilliSatoshi(1_500), 250, new MilliSatoshi(900_000_000L), true, now));
        byte[] theirUpdateB = encode(Announcements.INSTANCE.makeChannelUpdate(chain, kmp(b), kmpPub(a),
                new fr.acinq.lightning.ShortChannelId(scid), new CltvExpiryDelta(40), new MilliSatoshi(1),
                new MilliSatoshi(0), 1, new MilliSatoshi(500_000_000L), true, now));

        // node_announcement: our bytes, libsecp256k1's signature.
        NodeAnnouncement ourNode = GossipSignatures.nodeAnnouncement(a, now, Features.of(Features.ONION_MESSAGES_OPT),
                Bytes.fromHex("0a0b0c"), "kmp-" + RANDOM.nextInt(1000), List.of(NodeAddress.of("127.0.0.1", 9735)));
        byte[] nodeBytes = WireCodec.encode(ourNode);
        ByteVector64 theirNodeSig = Crypto.sign(Crypto.hash256(Arrays.copyOfRange(nodeBytes, 2 + 64, nodeBytes.length)), kmp(a));

        // Ours reads, verifies and stores theirs.
        ChannelGraph graph = new ChannelGraph(GraphLimits.defaults(CHAIN));
        long at = now + 60;
        for (byte[] m : List.of(theirAnnouncement, theirUpdateA, theirUpdateB)) {
            GossipMessage g = assertInstanceOf(GossipMessage.class, WireCodec.decode(m));
            assertEquals(Bytes.wrap(m), Bytes.wrap(WireCodec.encode(g)), "re-encoded byte for byte");
            assertEquals(GossipOutcome.ACCEPTED, graph.apply(graph.check(g, at).verify(), at), g.toString());
        }
        NodeAnnouncement theirNode = new NodeAnnouncement(new dev.boltflow.core.crypto.EcdsaSignature(
                Bytes.wrap(theirNodeSig.toByteArray())), ourNode.features(), now, ourNode.nodeId(), ourNode.rgbColor(),
                ourNode.alias(), ourNode.addresses(), Bytes.EMPTY);
        assertEquals(GossipOutcome.ACCEPTED, graph.apply(graph.check(theirNode, at).verify(), at));
        assertEquals(1, graph.channelCount());
        assertTrue(graph.channel(new ShortChannelId(scid)).orElseThrow().policy1().isPresent());
        assertTrue(graph.channel(new ShortChannelId(scid)).orElseThrow().policy2().isPresent());

        // Ours, written for the same keys and fields, is the same bytes.
        ChannelAnnouncement ours = GossipSignatures.channelAnnouncement(CHAIN, new ShortChannelId(scid), Features.EMPTY,
                a, b, fa, fb);
        assertEquals(Bytes.wrap(theirAnnouncement), Bytes.wrap(WireCodec.encode(ours)));
        for (byte[] theirUpdate : List.of(theirUpdateA, theirUpdateB)) {
            ChannelUpdate u = (ChannelUpdate) WireCodec.decode(theirUpdate);
            PrivateKey signer = (u.direction() == 0) == aFirst ? a : b;
            ChannelUpdate mine = GossipSignatures.channelUpdate(signer, CHAIN, u.shortChannelId(), u.timestamp(),
                    u.messageFlags(), u.channelFlags(), u.cltvExpiryDelta(), u.htlcMinimumMsat(), u.feeBaseMsat(),
                    u.feeProportionalMillionths(), u.htlcMaximumMsat());
            assertEquals(Bytes.wrap(theirUpdate), Bytes.wrap(WireCodec.encode(mine)));
        }
        assertEquals(Bytes.wrap(theirNodeSig.toByteArray()), ourNode.signature().bytes());
        // And libsecp256k1 verifies ours.
        assertTrue(Crypto.verifySignature(Crypto.hash256(Arrays.copyOfRange(nodeBytes, 2 + 64, nodeBytes.length)),
                new ByteVector64(ourNode.signature().bytes().toArray()), kmpPub(a)));
    }
}
