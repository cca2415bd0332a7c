package dev.boltflow.core.bolt12;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code invreq_bip_353_name}: the BIP 353 human-readable name the offer was resolved from, as the
 * raw bytes of {@code name} (before the @) and {@code domain}. Decoding keeps any bytes; {@link
 * #isValid()} applies the reader's character rule.
 */
public record Bip353Name(Bytes name, Bytes domain) {

    public Bip353Name {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        if (name.length() > 255 || domain.length() > 255) {
            throw new IllegalArgumentException("name and domain are at most 255 bytes");
        }
    }

    /** A name for writing; both parts must pass {@link #isValid()}. */
    public static Bip353Name of(String name, String domain) {
        Bip353Name n = new Bip353Name(Bytes.wrap(name.getBytes(StandardCharsets.US_ASCII)),
                Bytes.wrap(domain.getBytes(StandardCharsets.US_ASCII)));
        if (!n.isValid()) {
            throw new IllegalArgumentException("BIP 353 name and domain allow only 0-9 a-z A-Z - _ .");
        }
        return n;
    }

    /** BOLT 12 invoice_request reader: only {@code 0-9 a-z A-Z - _ .} in name and domain. */
    public boolean isValid() {
        return validName() && allowed(domain);
    }

    /** Whether the name (the part before the domain) has only allowed bytes. */
    public boolean validName() {
        return allowed(name);
    }

    private static boolean allowed(Bytes b) {
        for (int i = 0; i < b.length(); i++) {
            int c = b.get(i) & 0xff;
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static Bip353Name read(ByteReader r) {
        Bytes name = r.read(r.u8("name_len"), "name");
        Bytes domain = r.read(r.u8("domain_len"), "domain");
        return new Bip353Name(name, domain);
    }

    public void writeTo(ByteWriter w) {
        w.u8(name.length()).bytes(name).u8(domain.length()).bytes(domain);
    }

    /** {@code name@domain}, bytes shown one char each (ISO-8859-1) so nothing is lost. */
    @Override
    public String toString() {
        return new String(name.toArray(), StandardCharsets.ISO_8859_1) + "@"
                + new String(domain.toArray(), StandardCharsets.ISO_8859_1);
    }
}
