package dev.boltflow.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import co.touchlab.kermit.Logger;
import co.touchlab.kermit.StaticConfig;
import fr.acinq.bitcoin.Block;
import fr.acinq.bitcoin.ByteVector;
import fr.acinq.bitcoin.PrivateKey;
import fr.acinq.bitcoin.PublicKey;
import fr.acinq.bitcoin.io.ByteArrayOutput;
import fr.acinq.bitcoin.utils.Either;
import fr.acinq.lightning.EncodedNodeId;
import fr.acinq.lightning.Feature;
import fr.acinq.lightning.FeatureSupport;
import fr.acinq.lightning.Features;
import fr.acinq.lightning.UnknownFeature;
import fr.acinq.lightning.crypto.RouteBlinding;
import fr.acinq.lightning.crypto.sphinx.DecryptedPacket;
import fr.acinq.lightning.crypto.sphinx.Sphinx;
import fr.acinq.lightning.logging.MDCLogger;
import fr.acinq.lightning.message.OnionMessages;
import fr.acinq.lightning.wire.Init;
import fr.acinq.lightning.wire.LightningMessage;
import fr.acinq.lightning.wire.MessageOnion;
import fr.acinq.lightning.wire.OfferTypes;
import fr.acinq.lightning.wire.OnionMessage;
import fr.acinq.lightning.wire.Ping;
import fr.acinq.lightning.wire.Pong;
import fr.acinq.lightning.wire.RouteBlindingEncryptedData;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kotlin.Pair;

/**
 * lightning-kmp's side of the onion-message tests: one node ({@link #key}) connected to ours over
 * BOLT 8 ({@link KmpPeer}) that introduces a blinded path to a second lightning-kmp node
 * ({@link #recipient}) living in the same test. Every step of building, peeling and relaying is a
 * lightning-kmp function: {@code OnionMessages.buildRouteToRecipient/buildMessage/decryptMessage},
 * {@code RouteBlinding}, {@code Sphinx.peel}, {@code MessageOnion}.
 */
final class KmpNode implements AutoCloseable {
    static final MDCLogger LOGGER = new MDCLogger(new Logger(new StaticConfig(), "lightning-kmp"), Map.of());

    final PrivateKey key;
    final PrivateKey recipient;
    final KmpPeer peer;
    private final SecureRandom random;

    private KmpNode(PrivateKey key, PrivateKey recipient, KmpPeer peer, SecureRandom random) {
        this.key = key;
        this.recipient = recipient;
        this.peer = peer;
        this.random = random;
    }

    /** Dials our node, exchanges init (announcing option_onion_messages), and reads ours. */
    static KmpNode connect(OurPayee ours, SecureRandom random) throws IOException {
        PrivateKey key = randomKey(random);
        KmpPeer peer = KmpPeer.connect(key, Kmp.pub(ours.key.publicKey()), ours.address);
        Map<Feature, FeatureSupport> features = Map.of(
                Feature.VariableLengthOnion.INSTANCE, FeatureSupport.Mandatory,
                Feature.PaymentSecret.INSTANCE, FeatureSupport.Mandatory,
                Feature.StaticRemoteKey.INSTANCE, FeatureSupport.Mandatory,
                Feature.RouteBlinding.INSTANCE, FeatureSupport.Optional);
        peer.send(new Init(new Features(features, Set.of(new UnknownFeature(39))),
                List.of(Block.LivenetGenesisBlock.hash.value), null));
        assertInstanceOf(Init.class, peer.receive());
        return new KmpNode(key, randomKey(random), peer, random);
    }

    static PrivateKey randomKey(SecureRandom random) {
        return Kmp.priv(dev.boltflow.core.crypto.PrivateKey.random(random));
    }

    PrivateKey randomKey() {
        return randomKey(random);
    }

    /** A blinded path built by lightning-kmp: this node introduces it, {@link #recipient} ends it. */
    RouteBlinding.BlindedRoute pathToRecipient(ByteVector pathId) {
        return OnionMessages.INSTANCE.buildRouteToRecipient(randomKey(),
                List.of(new OnionMessages.IntermediateNode(new EncodedNodeId.WithPublicKey.Plain(key.publicKey()), null,
                        null, Set.of())),
                new OnionMessages.Destination.Recipient(new EncodedNodeId.WithPublicKey.Plain(recipient.publicKey()),
                        pathId, null, Set.of())).getRoute();
    }

    /** A lightning-kmp blinded path in its wire encoding (as in {@code offer_paths}). */
    static byte[] encode(RouteBlinding.BlindedRoute route) {
        ByteArrayOutput out = new ByteArrayOutput();
        OfferTypes.INSTANCE.writePath(new OfferTypes.ContactInfo.BlindedPath(route), out);
        return out.toByteArray();
    }

    /** The next onion_message from our node (answering its pings meanwhile). */
    OnionMessage receiveOnionMessage() throws IOException {
        while (true) {
            LightningMessage m = peer.receive();
            if (m instanceof Ping) {
                peer.send(new Pong(new ByteVector(new byte[((Ping) m).getPongLength()])));
            } else if (m instanceof OnionMessage) {
                return (OnionMessage) m;
            }
        }
    }

    /** What a relaying node does with an onion message that goes on: the next node and message. */
    record Relayed(EncodedNodeId next, OnionMessage message, MessageOnion payload) {
    }

    /**
     * Peels one layer as a relaying (or introduction) node with {@code nodeKey}: lightning-kmp's
     * {@code RouteBlinding.derivePrivateKey}, {@code Sphinx.peel}, {@code MessageOnion.read},
     * {@code RouteBlinding.decryptPayload} and {@code RouteBlindingEncryptedData.read}, as its
     * {@code OnionMessages.decryptMessage} does before it finds the message goes on.
     */
    static Relayed relay(PrivateKey nodeKey, OnionMessage msg) {
        PrivateKey blinded = RouteBlinding.INSTANCE.derivePrivateKey(nodeKey, msg.getBlindingKey());
        Either<?, DecryptedPacket> peeled = Sphinx.INSTANCE.peel(blinded, ByteVector.empty, msg.getOnionRoutingPacket());
        DecryptedPacket d = peeled.getRight();
        assertNotNull(d, "lightning-kmp peels the layer: " + peeled.getLeft());
        assertFalse(d.isLastPacket(), "the message goes on");
        MessageOnion payload = MessageOnion.Companion.read(d.getPayload().toByteArray());
        Either<?, Pair<ByteVector, PublicKey>> decrypted = RouteBlinding.INSTANCE.decryptPayload(nodeKey,
                msg.getBlindingKey(), payload.getEncryptedData());
        assertNotNull(decrypted.getRight(), "lightning-kmp decrypts its encrypted_recipient_data: " + decrypted.getLeft());
        Either<?, RouteBlindingEncryptedData> relay = RouteBlindingEncryptedData.Companion
                .read(decrypted.getRight().getFirst().toByteArray());
        RouteBlindingEncryptedData data = relay.getRight();
        assertNotNull(data, "lightning-kmp reads the relay data: " + relay.getLeft());
        PublicKey nextPathKey = data.getNextBlindingOverride() != null ? data.getNextBlindingOverride()
                : decrypted.getRight().getSecond();
        // Same size forward: the packet keeps its payload length.
        assertEquals(msg.getOnionRoutingPacket().getPayload().size(), d.getNextPacket().getPayload().size());
        return new Relayed(data.getNextNodeId(), new OnionMessage(nextPathKey, d.getNextPacket()), payload);
    }

    @Override
    public void close() throws IOException {
        peer.close();
    }
}
