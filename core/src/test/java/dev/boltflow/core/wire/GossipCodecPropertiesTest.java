package dev.boltflow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.EcdsaSignature;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.GossipMessage.AnnouncementSignatures;
import dev.boltflow.core.wire.GossipMessage.ChannelAnnouncement;
import dev.boltflow.core.wire.GossipMessage.ChannelUpdate;
import dev.boltflow.core.wire.GossipMessage.EncodedQueryFlags;
import dev.boltflow.core.wire.GossipMessage.EncodedShortIds;
import dev.boltflow.core.wire.GossipMessage.EncodedTimestamps;
import dev.boltflow.core.wire.GossipMessage.GossipTimestampFilter;
import dev.boltflow.core.wire.GossipMessage.NodeAnnouncement;
import dev.boltflow.core.wire.GossipMessage.QueryChannelRange;
import dev.boltflow.core.wire.GossipMessage.QueryShortChannelIds;
import dev.boltflow.core.wire.GossipMessage.ReplyChannelRange;
import dev.boltflow.core.wire.GossipMessage.ReplyShortChannelIdsEnd;
import dev.boltflow.core.wire.GossipMessage.UpdateChecksums;
import dev.boltflow.core.wire.GossipMessage.UpdatePair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * BOLT 7 messages: encode∘decode is the identity for every message we can build (unknown trailing
 * fields and odd TLVs included); arbitrary bytes after a gossip type decode to a message that
 * encodes back to them, or throw {@link WireDecodeException}; encoded arrays decode or throw
 * {@link DecodeException}, nothing else.
 */
class GossipCodecPropertiesTest {

    private static Arbitrary<Bytes> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
    }

    private static Arbitrary<EcdsaSignature> sigs() {
        return bytes(64, 64).map(EcdsaSignature::new);
    }

    private static Arbitrary<Point> points() {
        return bytes(33, 33).map(Point::new);
    }

    private static Arbitrary<Bytes32> hashes() {
        return bytes(32, 32).map(Bytes32::new);
    }

    private static Arbitrary<ShortChannelId> scids() {
        return Arbitraries.longs().map(ShortChannelId::new);
    }

    private static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xffffffffL);
    }

    private static Arbitrary<TlvStream> oddTlvs(long excluded) {
        return Combinators.combine(Arbitraries.longs().between(0, 1000).map(t -> t | 1), bytes(0, 20))
                .as(TlvRecord::new).list().ofMaxSize(3).map(list -> {
                    List<TlvRecord> keep = new ArrayList<>();
                    for (TlvRecord r : list) {
                        if (r.type() != excluded && keep.stream().noneMatch(k -> k.type() == r.type())) {
                            keep.add(r);
                        }
                    }
                    return TlvStream.sorted(keep);
                });
    }

    @Provide
    Arbitrary<GossipMessage> messages() {
        Arbitrary<GossipMessage> ann = Combinators.combine(sigs().list().ofSize(4), bytes(0, 8), hashes(), scids(),
                points().list().ofSize(4), bytes(0, 30)).as((s, f, h, scid, p, excess) -> new ChannelAnnouncement(
                s.get(0), s.get(1), s.get(2), s.get(3), new Features(f), h, scid, p.get(0), p.get(1), p.get(2),
                p.get(3), excess));
        Arbitrary<GossipMessage> node = Combinators.combine(sigs(), bytes(0, 8), u32(), points(), bytes(3, 3),
                bytes(32, 32), bytes(0, 60), bytes(0, 10)).as((s, f, ts, id, rgb, alias, addr, excess) ->
                new NodeAnnouncement(s, new Features(f), ts, id, rgb, alias, addr, excess));
        Arbitrary<GossipMessage> update = Combinators.combine(sigs(), hashes(), scids(), u32(),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 65535), Arbitraries.longs(),
                bytes(0, 10)).as((s, h, scid, ts, flags, cltv, min, excess) ->
                new ChannelUpdate(s, h, scid, ts, flags, flags ^ 1, cltv, min, ts ^ 0xffff, (long) cltv * flags,
                        min ^ 0x5a5a, excess));
        Arbitrary<GossipMessage> query = Combinators.combine(hashes(), scids().list().ofMaxSize(20),
                Arbitraries.longs().between(0, 1L << 40).list().ofMaxSize(20), oddTlvs(1)).as((h, ids, flags, tlvs) ->
                new QueryShortChannelIds(h, EncodedShortIds.of(ids),
                        flags.isEmpty() ? Optional.empty() : Optional.of(EncodedQueryFlags.of(flags)), tlvs));
        Arbitrary<GossipMessage> range = Combinators.combine(hashes(), u32(), u32(),
                Arbitraries.longs().between(0, 1L << 40), Arbitraries.of(true, false), oddTlvs(1)).as((h, a, b, o, with, tlvs) ->
                new QueryChannelRange(h, a, b, with ? OptionalLong.of(o) : OptionalLong.empty(), tlvs));
        Arbitrary<UpdatePair> pair = Combinators.combine(u32(), u32()).as(UpdatePair::new);
        Arbitrary<GossipMessage> reply = Combinators.combine(hashes(), u32(), u32(), scids().list().ofMaxSize(10),
                pair.list().ofMaxSize(10), Arbitraries.of(0, 1, 2, 3)).as((h, a, b, ids, pairs, which) ->
                new ReplyChannelRange(h, a, b, which & 1, EncodedShortIds.of(ids),
                        (which & 1) != 0 ? Optional.of(EncodedTimestamps.of(pairs)) : Optional.empty(),
                        (which & 2) != 0 ? Optional.of(UpdateChecksums.of(pairs)) : Optional.empty(), TlvStream.EMPTY));
        Arbitrary<GossipMessage> filter = Combinators.combine(hashes(), u32(), u32(), oddTlvs(-1))
                .as(GossipTimestampFilter::new);
        Arbitrary<GossipMessage> sigsOfAnn = Combinators.combine(hashes(), scids(), sigs(), sigs(), oddTlvs(-1))
                .as(AnnouncementSignatures::new);
        Arbitrary<GossipMessage> end = Combinators.combine(hashes(), Arbitraries.integers().between(0, 255), oddTlvs(-1))
                .as(ReplyShortChannelIdsEnd::new);
        return Arbitraries.oneOf(ann, node, update, query, range, reply, filter, sigsOfAnn, end);
    }

    @Property(tries = 500)
    void encode_then_decode_is_the_identity(@ForAll("messages") GossipMessage m) {
        byte[] encoded = WireCodec.encode(m);
        WireMessage back = WireCodec.decode(encoded);
        assertEquals(m, back);
        assertArrayEquals(encoded, WireCodec.encode(back));
    }

    @Property(tries = 1000)
    void arbitrary_bytes_after_a_gossip_type_decode_exactly_or_fail_typed(
            @ForAll @IntRange(min = 256, max = 265) int type, @ForAll @Size(max = 600) byte[] body) {
        byte[] message = new byte[2 + body.length];
        message[0] = (byte) (type >>> 8);
        message[1] = (byte) type;
        System.arraycopy(body, 0, message, 2, body.length);
        WireMessage m;
        try {
            m = WireCodec.decode(message);
        } catch (WireDecodeException e) {
            return; // unknown even 260, too short, or an invalid TLV stream: BOLT 1 closes on these
        }
        assertArrayEquals(message, WireCodec.encode(m));
        try {
            if (m instanceof QueryShortChannelIds q) {
                q.shortIds().ids();
                q.queryFlags().ifPresent(EncodedQueryFlags::flags);
            } else if (m instanceof ReplyChannelRange r) {
                r.shortIds().ids();
                r.timestamps().ifPresent(EncodedTimestamps::timestamps);
                r.checksums().ifPresent(UpdateChecksums::checksums);
            }
        } catch (DecodeException e) {
            // a malformed array: the gossip layer counts it against the peer
        }
    }
}
