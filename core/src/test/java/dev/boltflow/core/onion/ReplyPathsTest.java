package dev.boltflow.core.onion;

import static dev.boltflow.core.onion.OnionMessagesPropertiesTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyPathsTest {
    private static final PrivateKey US = key(20, 1);
    private static final PrivateKey PEER = key(20, 2);
    private static final Bytes HASH = Bytes.fromHex("11".repeat(32));

    @Test
    void pathId_isRecognisedForItsContextOnly() {
        ReplyPaths ours = new ReplyPaths(US);
        Bytes id = ours.pathId(HASH).bytes();
        assertEquals(id, new ReplyPaths(US).pathId(HASH).bytes(), "derived, nothing stored");
        assertTrue(ours.recognise(id, HASH));
        assertFalse(ours.recognise(id, Bytes.fromHex("12".repeat(32))));
        assertFalse(new ReplyPaths(PEER).recognise(id, HASH), "another node's key");
        assertFalse(ours.recognise(id.slice(0, 31), HASH));
        assertFalse(ours.recognise(null, HASH));
        assertNotEquals(HASH, id);
    }

    @Test
    void replyPath_throughAPeer_endsAtUs_withThePathId() {
        ReplyPaths ours = new ReplyPaths(US);
        BlindedPath path = ours.create(List.of(PEER.publicKey()), HASH, new SecureRandom());
        assertEquals(SciddirOrPubkey.of(PEER.publicKey()), path.firstNodeId());
        assertEquals(2, path.numHops());
        assertEquals(path.hops().get(0).encryptedRecipientData().length(),
                path.hops().get(1).encryptedRecipientData().length(), "padded to one length");

        RouteBlinding.Unblinded atPeer = RouteBlinding.unblind(PEER, path.firstPathKey(),
                path.hops().get(0).encryptedRecipientData());
        assertEquals(Optional.of(US.publicKey()), atPeer.data().nextNodeId());
        assertEquals(path.hops().get(0).blindedNodeId(), atPeer.blindedPrivateKey().publicKey());
        RouteBlinding.Unblinded atUs = RouteBlinding.unblind(US, atPeer.nextPathKey(),
                path.hops().get(1).encryptedRecipientData());
        assertEquals(path.hops().get(1).blindedNodeId(), atUs.blindedPrivateKey().publicKey());
        assertTrue(ours.recognise(atUs.data().pathId().orElseThrow(), HASH));
    }

    /** A reply sent with the reply_path from a Deliver reaches us and authenticates the context. */
    @Test
    void answerToOurMessage_comesBackOverTheReplyPath() {
        ReplyPaths ours = new ReplyPaths(US);
        SecureRandom rnd = new SecureRandom();
        OnionMessages.Outgoing request = OnionMessages.build(US, List.of(), OnionMessages.Destination.node(PEER.publicKey()),
                OnionMessagePayload.ofInvoice(Bytes.fromHex("01")).withReplyPath(
                        ours.create(List.of(), HASH, rnd)), rnd);
        PeelResult.Deliver atPeer = (PeelResult.Deliver) OnionMessages.peel(PEER, request.pathKey(), request.packet());
        BlindedPath reply = atPeer.payload().replyPath().orElseThrow();

        OnionMessages.Outgoing answer = OnionMessages.build(PEER, List.of(), OnionMessages.Destination.path(reply),
                OnionMessagePayload.ofInvoiceError(Bytes.fromHex("0503626164")), rnd);
        assertEquals(new NextHop.Node(US.publicKey()), answer.firstHop());
        assertEquals(reply.firstPathKey(), answer.pathKey(), "directly connected: first_path_key");
        PeelResult.Deliver atUs = (PeelResult.Deliver) OnionMessages.peel(US, answer.pathKey(), answer.packet());
        assertTrue(ours.recognise(atUs.pathId().orElseThrow(), HASH));
        assertEquals(Optional.of(Bytes.fromHex("0503626164")), atUs.payload().invoiceError());
    }
}
