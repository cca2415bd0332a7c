package dev.boltflow.core.bolt12;

import dev.boltflow.core.crypto.PaymentPreimage;
import static dev.boltflow.core.bolt12.Bolt12Field.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.onion.BlindedPayments.PaymentPath;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import dev.boltflow.core.testing.Vectors;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Our own writer of invoice_requests that answer no offer (BOLT 12 "Requirements for Invoice
 * Requests", writer, "not responding to an offer"), deterministic keys and payment paths, and Core
 * Lightning's documented sendinvoice example: what the invoice and sendinvoice tests build on.
 */
public final class InvoiceFixtures {
    public static final long NOW = 1_700_000_000L;
    public static final PrivateKey PAYER = key(0x11);
    public static final PrivateKey NODE = key(0x22);
    public static final PrivateKey OTHER = key(0x33);
    public static final Bytes32 AUX = Bytes32.fromHex("07".repeat(32));
    public static final Bytes32 PAYMENT_HASH = PaymentPreimage.of(Bytes32.fromHex("42".repeat(32))).paymentHash();

    private InvoiceFixtures() {
    }

    public static PrivateKey key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return PrivateKey.fromBytes(b);
    }

    public static TlvRecord rec(long type, Bytes value) {
        return new TlvRecord(type, value);
    }

    public static TlvRecord hex(long type, String hex) {
        return new TlvRecord(type, Bytes.fromHex(hex));
    }

    public static TlvRecord tu64(long type, long v) {
        return new TlvRecord(type, new ByteWriter(8).truncated(v).toBytes());
    }

    public static TlvRecord utf8(long type, String s) {
        return new TlvRecord(type, Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A request to be paid {@code amountMsat}, as a payer writes it without an offer: unpredictable
     * {@code invreq_metadata}, {@code offer_description}, {@code invreq_amount},
     * {@code invreq_payer_id}; no signature, bitcoin (no {@code invreq_chain}). {@code extra} records
     * are added, replacing any of the same type.
     */
    public static TlvStream request(long amountMsat, TlvRecord... extra) {
        List<TlvRecord> rs = new ArrayList<>(List.of(hex(INVREQ_METADATA, "5a0f3c4b2e1d6a7b8c9d0e1f2a3b4c5d"),
                utf8(OFFER_DESCRIPTION, "refund for order 42"), tu64(INVREQ_AMOUNT, amountMsat),
                rec(INVREQ_PAYER_ID, PAYER.publicKey().bytes())));
        return with(TlvStream.sorted(rs), extra);
    }

    /** {@code base} with {@code extra} added, each replacing a record of its type. */
    public static TlvStream with(TlvStream base, TlvRecord... extra) {
        TlvStream s = base;
        for (TlvRecord r : extra) {
            s = without(s, r.type()).with(List.of(r));
        }
        return s;
    }

    public static TlvStream without(TlvStream base, long type) {
        return base.filter(t -> t != type);
    }

    /** {@code s} signed by {@code key} as an invoice_request (any old signature replaced). */
    public static TlvStream signRequest(TlvStream s, PrivateKey key) {
        TlvStream unsigned = without(s, SIGNATURE);
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE_REQUEST, unsigned, key, AUX);
        return unsigned.with(List.of(rec(SIGNATURE, sig.bytes())));
    }

    /** {@code s} signed by {@code key} as an invoice (any old signature replaced). */
    public static TlvStream signInvoice(TlvStream s, PrivateKey key) {
        TlvStream unsigned = without(s, SIGNATURE);
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE, unsigned, key, AUX);
        return unsigned.with(List.of(rec(SIGNATURE, sig.bytes())));
    }

    public static InvoiceRequest decodeRequest(TlvStream s) {
        return InvoiceRequest.decode(s.encode());
    }

    public static String lnr(TlvStream s) {
        return Bolt12String.encode(Bolt12String.INVOICE_REQUEST_HRP, s.encode());
    }

    /** A blinded payment path of only {@code NODE}, blinded with a key from {@code seed}. */
    public static PaymentPath selfPath(int seed) {
        BlindedPayments.Recipient us = new BlindedPayments.Recipient(NODE.publicKey(),
                Bytes.fromHex("ab".repeat(32)), 1, 5_000_000_000L, 18, 900_000);
        return BlindedPayments.create(List.of(), us, 0, key(0x40 + seed));
    }

    /** A path entering at a channel peer of {@code NODE}, one relay hop. */
    public static PaymentPath relayedPath(int seed) {
        BlindedPayments.Recipient us = new BlindedPayments.Recipient(NODE.publicKey(),
                Bytes.fromHex("cd".repeat(32)), 1, 5_000_000_000L, 18, 900_000);
        BlindedPayments.IntermediateHop peer = new BlindedPayments.IntermediateHop(key(0x50 + seed).publicKey(),
                0x0001020003000004L, new PaymentRelay(40, 100, 1000), 1, 5_000_000_000L);
        return BlindedPayments.create(List.of(peer), us, 0, key(0x60 + seed));
    }

    /** A builder for the answer to {@code r} with every required field set (amount: the default). */
    public static InvoiceBuilder builder(InvoiceRequest r) {
        return InvoiceBuilder.forRequest(r).createdAt(NOW).paymentHash(PAYMENT_HASH).nodeId(NODE.publicKey())
                .paths(List.of(selfPath(0)));
    }

    /** Core Lightning's sendinvoice json_example[0] (cln-schemas/sendinvoice.json). */
    public static JsonNode clnExample() {
        return Vectors.readJson(Vectors.clnSchemasDir().resolve("sendinvoice.json")).get("json_example").get(0);
    }

    /** The {@code lnr1...} CLN's example was called with: regtest, 2 msat, signed by its payer. */
    public static String clnInvreq() {
        return clnExample().get("request").get("params").get("invreq").asText();
    }

    /** The {@code lni1...} CLN answered with. */
    public static String clnInvoice() {
        return clnExample().get("response").get("bolt12").asText();
    }
}
