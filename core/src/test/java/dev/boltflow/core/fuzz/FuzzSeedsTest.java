package dev.boltflow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.bolt12.InvoiceFixtures;
import dev.boltflow.core.bolt12.Offer;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.NoiseHandshake;
import dev.boltflow.core.onion.NextHop;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.onion.PeelResult;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.sendinvoice.InvoiceRequestValidator;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.tlv.TlvStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fuzz targets' seeds reach the deep end of what they fuzz (otherwise the fuzzer would start
 * from rejections only and the regression runs would prove little): the onion message route is
 * delivered, the handshake completes, some requests are accepted, the offers decode.
 */
class FuzzSeedsTest {

    private static List<byte[]> inputs(java.util.stream.Stream<Arguments> args) {
        return args.map(a -> (byte[]) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload()).toList();
    }

    @Test
    void onionMessageSeed_ofTheFirstHop_isDeliveredAtTheEndOfTheRoute() {
        byte[] first = inputs(OnionMessagePeelFuzzTest.seeds()).get(0);
        Map<PublicKey, PrivateKey> keys = new HashMap<>();
        for (JsonNode hop : FuzzSeeds.vector("bolt04/blinded-onion-message-onion-test.json").path("decrypt").path("hops")) {
            PrivateKey k = PrivateKey.fromBytes(FuzzSeeds.hex(hop.path("privkey").asText()));
            keys.put(k.publicKey(), k);
        }
        JsonNode alice = FuzzSeeds.vector("bolt04/blinded-onion-message-onion-test.json").path("decrypt").path("hops").get(0);
        PrivateKey node = PrivateKey.fromBytes(FuzzSeeds.hex(alice.path("privkey").asText()));
        PublicKey pathKey = PublicKey.fromBytes(Arrays.copyOfRange(first, 1, 34));
        Bytes packet = Bytes.wrap(Arrays.copyOfRange(first, 34, first.length));
        int hops = 0;
        PeelResult r = OnionMessages.peel(node, pathKey, packet);
        while (r instanceof PeelResult.Forward f) {
            hops++;
            node = keys.get(((NextHop.Node) f.next()).nodeId());
            r = OnionMessages.peel(node, f.nextPathKey(), f.nextPacket());
        }
        assertTrue(r instanceof PeelResult.Deliver, "ends in " + r);
        assertEquals(3, hops);
    }

    @Test
    void noiseSeed_ofTheSuccessfulResponderTest_completesTheHandshake() {
        JsonNode v = FuzzSeeds.vector("vectors/bolt08-handshake.json").path("responder_tests").get(0);
        byte[] seed = inputs(NoiseHandshakeFuzzTest.seeds()).get(0);
        PrivateKey ls = PrivateKey.fromBytes(FuzzSeeds.hex(v.path("keys").path("ls_priv").asText()));
        PrivateKey e = PrivateKey.fromBytes(FuzzSeeds.hex(v.path("keys").path("e_priv").asText()));
        NoiseHandshake.Responder r = NoiseHandshake.responder(ls, () -> e);
        r.actTwo(Arrays.copyOfRange(seed, 1, 51));
        PublicKey initiator = r.complete(Arrays.copyOfRange(seed, 51, 117)).remoteStatic();
        JsonNode i = FuzzSeeds.vector("vectors/bolt08-handshake.json").path("initiator_tests").get(0).path("keys");
        assertEquals(PublicKey.fromBytes(FuzzSeeds.hex(i.path("ls_pub").asText())), initiator);
    }

    @Test
    void invoiceRequestSeeds_includeAcceptedAndRefusedRequests() {
        int accepted = 0;
        int refused = 0;
        for (byte[] seed : inputs(InvoiceRequestFuzzTest.seeds())) {
            try {
                InvoiceRequestValidator.validate(SendInvoiceRequest.of(
                        Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, seed), "l"), ChainHashes.BITCOIN,
                        InvoiceFixtures.NOW);
                accepted++;
            } catch (SendInvoiceException e) {
                refused++;
            }
        }
        assertTrue(accepted >= 2, accepted + " accepted");
        assertTrue(refused >= 10, refused + " refused");
    }

    @Test
    void offerSeeds_includeOffersThatDecodeAndOffersThatBreakTheirTlvRules() {
        List<TlvStream> offers = Bolt12Seeds.offerStreams();
        int decoded = 0;
        int refused = 0;
        for (TlvStream s : offers) {
            try {
                assertEquals("lno", Offer.decode(s.encode()).hrp());
                decoded++;
            } catch (Bolt12ParseException e) {
                refused++;
            }
        }
        assertTrue(decoded >= 20, decoded + " offers decode");
        assertTrue(refused >= 1, refused + " offers refused");
    }
}
