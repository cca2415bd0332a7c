package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.WireDecodeException.Kind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireCodecTest extends OnEachSecp256k1Provider {
    private static final Bytes32 BITCOIN =
            Bytes32.fromHex("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
    private static final PublicKey KEY =
            PublicKey.fromHex("028d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f7");

    private static WireDecodeException decodeFails(String hex) {
        return assertThrows(WireDecodeException.class, () -> WireCodec.decode(Bytes.fromHex(hex).toArray()));
    }

    private static String encodeHex(WireMessage m) {
        return Bytes.wrap(WireCodec.encode(m)).toHex();
    }

    @Test
    void init_with_features_networks_and_remote_addr_is_laid_out_as_bolt1() {
        WireMessage.Init init = WireMessage.Init.of(Features.of(Features.VAR_ONION_OPTIN_REQ,
                        Features.ONION_MESSAGES_OPT))
                .withNetworks(List.of(BITCOIN))
                .withRemoteAddr(Bytes.fromHex("017f000001260d"));
        String hex = encodeHex(init);
        assertEquals("0010" + "0000" + "0005" + "8000000100"
                + "0120" + BITCOIN.toHex() + "0307017f000001260d", hex);
        WireMessage.Init back = assertInstanceOf(WireMessage.Init.class, WireCodec.decode(Bytes.fromHex(hex).toArray()));
        assertEquals(init, back);
        assertEquals(Optional.of(List.of(BITCOIN)), back.networks());
        assertTrue(back.combinedFeatures().supports(Features.Feature.ONION_MESSAGES));
    }

    @Test
    void init_combines_global_and_local_features() {
        WireMessage.Init init = new WireMessage.Init(Bytes.fromHex("02"), Bytes.fromHex("0100"),
                Optional.empty(), Optional.empty(), TlvStream.EMPTY);
        assertEquals(Features.of(1, 8), init.combinedFeatures());
    }

    @Test
    void init_with_empty_networks_is_not_init_without_networks() {
        WireMessage.Init empty = WireMessage.Init.of(Features.EMPTY).withNetworks(List.of());
        assertEquals("00100000000001" + "00", encodeHex(empty));
        assertEquals(empty, WireCodec.decode(WireCodec.encode(empty)));
        assertEquals(Optional.empty(), WireMessage.Init.of(Features.EMPTY).networks());
    }

    @Test
    void init_networks_not_a_whole_number_of_chain_hashes_is_an_invalid_extension() {
        WireDecodeException e = decodeFails("001000000000" + "0121" + BITCOIN.toHex() + "00");
        assertEquals(Kind.INVALID_EXTENSION, e.kind());
        assertTrue(e.mustCloseConnection());
    }

    @Test
    void warning_and_error_round_trip() {
        WireMessage.Warning w = WireMessage.Warning.of("hello");
        assertEquals("0001" + "00".repeat(32) + "0005" + "68656c6c6f", encodeHex(w));
        assertEquals(w, WireCodec.decode(WireCodec.encode(w)));
        assertTrue(w.isAllChannels());
        assertEquals("hello", w.printableData());

        WireMessage.Error e = new WireMessage.Error(BITCOIN, Bytes.fromHex("00ff"));
        assertEquals("0011" + BITCOIN.toHex() + "0002" + "00ff", encodeHex(e));
        assertEquals(e, WireCodec.decode(WireCodec.encode(e)));
        assertFalse(e.isAllChannels());
        assertEquals("hex:00ff", e.printableData(), "non-printable data is not printed verbatim");
    }

    @Test
    void ping_pong_keep_only_the_ignored_length_and_write_zeros() {
        WireMessage m = WireCodec.decode(Bytes.fromHex("0012" + "0004" + "0003" + "abcdef").toArray());
        WireMessage.Ping ping = assertInstanceOf(WireMessage.Ping.class, m);
        assertEquals(4, ping.numPongBytes());
        assertEquals(3, ping.ignoredLength());
        assertEquals("0012" + "0004" + "0003" + "000000", encodeHex(ping));
        assertTrue(ping.expectsPong());
        WireMessage.Pong pong = ping.pong();
        assertEquals("0013" + "0004" + "00000000", encodeHex(pong));
        assertEquals(pong, WireCodec.decode(WireCodec.encode(pong)));
    }

    @Test
    void ping_asking_65532_bytes_or_more_gets_no_pong() {
        assertTrue(new WireMessage.Ping(65531, 0).expectsPong());
        WireMessage.Ping big = new WireMessage.Ping(65532, 0);
        assertFalse(big.expectsPong());
        assertThrows(IllegalStateException.class, big::pong);
    }

    @Test
    void unknown_odd_type_is_kept_whole() {
        WireMessage m = WireCodec.decode(Bytes.fromHex("8001" + "deadbeef").toArray());
        WireMessage.Unknown u = assertInstanceOf(WireMessage.Unknown.class, m);
        assertEquals(0x8001, u.type());
        assertEquals(Bytes.fromHex("deadbeef"), u.payload());
        assertEquals("8001deadbeef", encodeHex(u));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000", "0002", "0020", "0104", "020a", "8000deadbeef", "fffe"})
    void unknown_even_type_must_close(String hex) {
        WireDecodeException e = decodeFails(hex);
        assertEquals(Kind.UNKNOWN_EVEN_TYPE, e.kind());
        assertEquals(Integer.parseInt(hex.substring(0, 4), 16), e.messageType());
        assertTrue(e.mustCloseConnection());
    }

    static Stream<Arguments> truncated() {
        String chan = "00".repeat(32);
        return Stream.of(
                Arguments.of("no type", ""),
                Arguments.of("half a type", "00"),
                Arguments.of("init without flen", "00100000"),
                Arguments.of("init features short", "00100000000201"),
                Arguments.of("init gflen short", "00100001"),
                Arguments.of("warning channel_id short", "0001" + "00".repeat(31)),
                Arguments.of("warning data short", "0001" + chan + "000201"),
                Arguments.of("error without len", "0011" + chan),
                Arguments.of("ping empty", "0012"),
                Arguments.of("ping without byteslen", "00120001"),
                Arguments.of("ping ignored short", "00120001000200"),
                Arguments.of("pong ignored short", "0013000500"),
                Arguments.of("onion_message key short", "0201" + KEY.toHex().substring(0, 64)),
                Arguments.of("onion_message packet short", "0201" + KEY.toHex() + "000300"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncated")
    void known_message_too_short_must_close(String name, String hex) {
        WireDecodeException e = decodeFails(hex);
        assertEquals(Kind.TRUNCATED, e.kind(), name);
        assertTrue(e.mustCloseConnection());
    }

    @Test
    void extension_on_any_known_message_is_kept_when_odd_and_refused_when_even() {
        WireMessage.Warning w = new WireMessage.Warning(Bytes32.ZERO, Bytes.EMPTY,
                TlvStream.of(List.of(new TlvRecord(1, Bytes.fromHex("aa")))));
        assertEquals("0001" + "00".repeat(32) + "0000" + "0101aa", encodeHex(w));
        assertEquals(w, WireCodec.decode(WireCodec.encode(w)));

        assertEquals(Kind.INVALID_EXTENSION, decodeFails("0013" + "0000" + "0201aa").kind());
        assertEquals(Kind.INVALID_EXTENSION, decodeFails("0013" + "0000" + "03").kind(), "truncated TLV");
        assertEquals(Kind.INVALID_EXTENSION, decodeFails("0013" + "0000" + "0300" + "0100").kind(), "out of order");
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Pong(0,
                TlvStream.of(List.of(new TlvRecord(2, Bytes.EMPTY)))), "an even TLV cannot be sent");
    }

    @Test
    void onion_message_with_a_bad_path_key_is_an_invalid_field() {
        String bad = "04" + KEY.toHex().substring(2);
        WireDecodeException e = decodeFails("0201" + bad + "0000");
        assertEquals(Kind.INVALID_FIELD, e.kind());
        assertFalse(e.mustCloseConnection());
    }

    static Stream<Arguments> onionMessageHops() {
        return Vectors.elements(Vectors.json("bolt04/blinded-onion-message-onion-test.json")
                        .get("decrypt").get("hops")).stream()
                .map(n -> Arguments.of(n.get("alias").asText(), n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onionMessageHops")
    void onion_message_vectors_decode_and_reencode_byte_for_byte(String alias, JsonNode hop) {
        byte[] bytes = Bytes.fromHex(hop.get("onion_message").asText()).toArray();
        WireMessage.OnionMessage m = assertInstanceOf(WireMessage.OnionMessage.class, WireCodec.decode(bytes));
        assertEquals(WireMessage.ONION_MESSAGE, m.type());
        assertEquals(1366, m.onionMessagePacket().length(), "the recommended packet size");
        assertTrue(m.extension().isEmpty());
        assertArrayEquals(bytes, WireCodec.encode(m), alias);
        assertFalse(m.toString().contains(m.onionMessagePacket().toHex().substring(0, 40)), "packet not printed");
    }

    @Test
    void first_onion_message_carries_the_generated_packet_and_path_key() {
        JsonNode root = Vectors.json("bolt04/blinded-onion-message-onion-test.json");
        JsonNode hop = root.get("decrypt").get("hops").get(0);
        WireMessage.OnionMessage m = (WireMessage.OnionMessage) WireCodec.decode(
                Bytes.fromHex(hop.get("onion_message").asText()).toArray());
        assertEquals(root.get("onionmessage").get("onion_message_packet").asText(), m.onionMessagePacket().toHex());
        assertEquals(root.get("generate").get("hops").get(0).get("E").asText(), m.pathKey().toHex());
    }

    @Test
    void encode_refuses_more_than_65535_bytes() {
        WireMessage.Unknown fits = new WireMessage.Unknown(0x8001, Bytes.wrap(new byte[65533]));
        assertEquals(65535, WireCodec.encode(fits).length);
        WireMessage.Unknown tooBig = new WireMessage.Unknown(0x8001, Bytes.wrap(new byte[65534]));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(tooBig));
    }

    @Test
    void unknown_cannot_impersonate_a_known_type() {
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Unknown(WireMessage.PING, Bytes.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.Unknown(0x10000, Bytes.EMPTY));
    }
}
