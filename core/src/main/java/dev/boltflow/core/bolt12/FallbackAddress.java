package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** BOLT 12 {@code fallback_address}: a witness version and program for on-chain payment. */
public record FallbackAddress(int version, Bytes address) {

    public FallbackAddress {
        if ((version & ~0xff) != 0) {
            throw new IllegalArgumentException("version is a byte: " + version);
        }
        Objects.requireNonNull(address, "address");
        if (address.length() > 0xffff) {
            throw new IllegalArgumentException("address longer than 65535 bytes");
        }
    }

    /**
     * Whether a bitcoin payer may use it (BOLT 12 invoice reader: ignore a version above 16, a
     * program shorter than 2 or longer than 40 bytes, and programs that break the version's known
     * rules: version 0 is 20 or 32 bytes).
     */
    public boolean isUsableOnBitcoin() {
        int n = address.length();
        if (version > 16 || n < 2 || n > 40) {
            return false;
        }
        return version != 0 || n == 20 || n == 32;
    }

    public static FallbackAddress read(ByteReader r) {
        int version = r.u8("version");
        int len = r.u16("len");
        return new FallbackAddress(version, r.read(len, "address"));
    }

    public static List<FallbackAddress> readAll(ByteReader r) {
        List<FallbackAddress> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(read(r));
        }
        return out;
    }

    public void writeTo(ByteWriter w) {
        w.u8(version).u16(address.length()).bytes(address);
    }

    public static byte[] encodeAll(List<FallbackAddress> fallbacks) {
        ByteWriter w = new ByteWriter();
        for (FallbackAddress f : fallbacks) {
            f.writeTo(w);
        }
        return w.toByteArray();
    }
}
