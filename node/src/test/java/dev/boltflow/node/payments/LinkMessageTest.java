package dev.boltflow.node.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPaymentOnion;
import dev.boltflow.core.wire.WireCodec;
import dev.boltflow.core.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The link's three boltflow-private messages: layouts, round trips and typed decode errors. */
class LinkMessageTest {
    private final SecureRandom random = new SecureRandom();
    private final Bytes onion = Bytes.wrap(new byte[BlindedPaymentOnion.PACKET_LENGTH]);

    @Test
    void types_areOddAndExperimental() {
        for (int t : new int[] {LinkMessage.ADD_TYPE, LinkMessage.FULFILL_TYPE, LinkMessage.FAIL_TYPE}) {
            assertEquals(1, t & 1, "odd: a peer that does not know it ignores it (BOLT 1)");
            assertTrue(t >= 32768 && t <= 65535, "BOLT 1 leaves 32768-65535 to experiments");
            assertTrue(LinkMessage.isLinkType(t));
        }
    }

    @Test
    void add_withAndWithoutPathKey_roundTripsThroughTheWireCodec() {
        for (Optional<PublicKey> key : List.of(Optional.<PublicKey>empty(), Optional.of(PrivateKey.random(random).publicKey()))) {
            LinkMessage.Add add = new LinkMessage.Add(7, Bytes32.random(random), 50_000, 900_018, onion, key);
            WireMessage.Unknown wire = add.toWire();
            assertEquals(LinkMessage.ADD_TYPE, wire.type());
            assertEquals(8 + 32 + 8 + 4 + 1366 + (key.isPresent() ? 35 : 0), wire.payload().length());
            WireMessage back = WireCodec.decode(WireCodec.encode(wire));
            assertEquals(Optional.of(add), LinkMessage.fromWire(back));
        }
    }

    @Test
    void fulfillAndFail_roundTrip_andFulfillHidesThePreimage() {
        LinkMessage.Fulfill f = new LinkMessage.Fulfill(1, Bytes32.random(random));
        assertEquals(Optional.of(f), LinkMessage.fromWire(f.toWire()));
        assertFalse(f.toString().contains(f.preimage().toHex()));
        LinkMessage.Fail fail = new LinkMessage.Fail(2, 0x400f, "WRONG_AMOUNT: 40000 msat – too little");
        assertEquals(Optional.of(fail), LinkMessage.fromWire(fail.toWire()));
    }

    @Test
    void failReason_isCutToWholeCharacters() {
        String longReason = "é".repeat(2000);
        LinkMessage.Fail fail = (LinkMessage.Fail) LinkMessage.fromWire(new LinkMessage.Fail(3, 1, longReason).toWire())
                .orElseThrow();
        assertTrue(fail.reason().getBytes(StandardCharsets.UTF_8).length <= LinkMessage.Fail.MAX_REASON);
        assertTrue(longReason.startsWith(fail.reason()));
    }

    @Test
    void otherMessages_areNotOurs() {
        assertEquals(Optional.empty(), LinkMessage.fromWire(WireMessage.Warning.of("hi")));
        assertEquals(Optional.empty(), LinkMessage.fromWire(new WireMessage.Unknown(32775, Bytes.EMPTY)));
    }

    @Test
    void malformed_isADecodeException() {
        Bytes add = new LinkMessage.Add(7, Bytes32.ZERO, 1, 1, onion, Optional.empty()).toWire().payload();
        assertMalformed(LinkMessage.ADD_TYPE, add.slice(0, add.length() - 1)); // onion cut short
        assertMalformed(LinkMessage.ADD_TYPE, add.concat(Bytes.fromHex("0201ff"))); // unknown even TLV
        assertMalformed(LinkMessage.ADD_TYPE, add.concat(Bytes.fromHex("0002ffff"))); // path_key not 33 bytes
        byte[] zero = add.toArray();
        java.util.Arrays.fill(zero, 40, 48, (byte) 0);
        assertMalformed(LinkMessage.ADD_TYPE, Bytes.wrap(zero)); // amount 0
        assertMalformed(LinkMessage.FULFILL_TYPE, Bytes.wrap(new byte[39]));
        assertMalformed(LinkMessage.FULFILL_TYPE, Bytes.wrap(new byte[41]));
        assertMalformed(LinkMessage.FAIL_TYPE, new ByteWriter().u64(1).u16(1).u16(2).u8(0xff).u8(0xfe).toBytes());
        assertMalformed(LinkMessage.FAIL_TYPE, new ByteWriter().u64(1).u16(1).u16(5).toBytes());
    }

    @Property
    void arbitraryPayloads_decodeOrFailTyped(@ForAll @Size(max = 80) byte[] payload) {
        for (int t : new int[] {LinkMessage.ADD_TYPE, LinkMessage.FULFILL_TYPE, LinkMessage.FAIL_TYPE}) {
            try {
                LinkMessage m = LinkMessage.fromWire(new WireMessage.Unknown(t, Bytes.wrap(payload))).orElseThrow();
                assertEquals(Bytes.wrap(payload), m.toWire().payload());
            } catch (DecodeException e) {
                // typed: fine
            }
        }
    }

    private static void assertMalformed(int type, Bytes payload) {
        assertThrows(DecodeException.class, () -> LinkMessage.fromWire(new WireMessage.Unknown(type, payload)));
    }
}
