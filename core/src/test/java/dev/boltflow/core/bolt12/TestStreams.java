package dev.boltflow.core.bolt12;

import dev.boltflow.core.onion.BlindedPayInfo;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Crafted TLV records and streams for the reader-rule tests. */
final class TestStreams {
    private TestStreams() {
    }

    static PublicKey key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return PrivateKey.fromBytes(b).publicKey();
    }

    static TlvRecord rec(long type, Bytes value) {
        return new TlvRecord(type, value);
    }

    static TlvRecord rec(long type, byte[] value) {
        return new TlvRecord(type, Bytes.wrap(value));
    }

    static TlvRecord hex(long type, String hex) {
        return new TlvRecord(type, Bytes.fromHex(hex));
    }

    static TlvRecord tu64(long type, long v) {
        return rec(type, new ByteWriter(8).truncated(v).toByteArray());
    }

    static TlvRecord utf8(long type, String s) {
        return rec(type, s.getBytes(StandardCharsets.UTF_8));
    }

    static TlvRecord point(long type, PublicKey k) {
        return new TlvRecord(type, k.bytes());
    }

    static BlindedPath path(int hops) {
        List<BlindedPath.Hop> hs = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            hs.add(new BlindedPath.Hop(key(0x30 + i), Bytes.fromHex("0102030405")));
        }
        return new BlindedPath(SciddirOrPubkey.of(key(0x21)), key(0x22), hs);
    }

    static TlvRecord paths(long type, BlindedPath... paths) {
        return rec(type, BlindedPath.encodeAll(List.of(paths)));
    }

    static TlvRecord payinfos(BlindedPayInfo... infos) {
        return rec(Bolt12Field.INVOICE_BLINDEDPAY, BlindedPayInfo.encodeAll(List.of(infos)));
    }

    static BlindedPayInfo payinfo(Features features) {
        return new BlindedPayInfo(1000, 100, 144, 1, 1_000_000_000L, features);
    }

    static TlvStream stream(TlvRecord... records) {
        return TlvStream.sorted(List.of(records));
    }

    /** {@code base} with {@code type} removed. */
    static TlvStream without(TlvStream base, long type) {
        return base.filter(t -> t != type);
    }

    /** {@code base} with the record of the same type replaced (or added). */
    static TlvStream with(TlvStream base, TlvRecord r) {
        return without(base, r.type()).with(List.of(r));
    }

    static String lno(TlvStream s) {
        return Bolt12String.encode("lno", s.encode());
    }

    static String lnr(TlvStream s) {
        return Bolt12String.encode("lnr", s.encode());
    }

    static String lni(TlvStream s) {
        return Bolt12String.encode("lni", s.encode());
    }
}
