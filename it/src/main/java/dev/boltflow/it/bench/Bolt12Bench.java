package dev.boltflow.it.bench;

import dev.boltflow.node.bench.BenchFixtures;
import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.InvoiceBuilder;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.onion.BlindedPayments;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.crypto.Bolt12Signatures;
import dev.boltflow.core.crypto.Signature;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** BOLT 12 codec and signatures: decode+verify an invoice_request, sign+encode an invoice. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Bolt12Bench {
    private BenchFixtures f;
    private TlvStream unsignedInvoice;
    private InvoiceRequest invreq;

    @Setup
    public void setup() {
        f = new BenchFixtures();
        // An invoice for the request, as sendinvoice writes it (one blinded payment path to us).
        List<TlvRecord> records = new ArrayList<>(f.mirroredRecords());
        records.add(new TlvRecord(Bolt12Field.INVOICE_PATHS, f.invreqRecords.value(Bolt12Field.INVREQ_PATHS).orElseThrow()));
        records.add(new TlvRecord(Bolt12Field.INVOICE_BLINDEDPAY, Bytes.wrap(new ByteWriter()
                .u32(0).u32(0).u16(18).u64(0).u64(Long.MAX_VALUE).u16(0).toByteArray())));
        records.add(new TlvRecord(Bolt12Field.INVOICE_CREATED_AT, Bytes.wrap(new ByteWriter().truncated(1_795_000_000L).toByteArray())));
        records.add(new TlvRecord(Bolt12Field.INVOICE_RELATIVE_EXPIRY, Bytes.wrap(new ByteWriter().truncated(90).toByteArray())));
        records.add(new TlvRecord(Bolt12Field.INVOICE_PAYMENT_HASH, Bytes.wrap(new byte[32])));
        records.add(new TlvRecord(Bolt12Field.INVOICE_AMOUNT, Bytes.wrap(new ByteWriter().truncated(1_234_000L).toByteArray())));
        records.add(new TlvRecord(Bolt12Field.INVOICE_NODE_ID, f.payee.publicKey().bytes()));
        unsignedInvoice = TlvStream.sorted(records);
        invreq = InvoiceRequest.decode(f.invreqString);
    }

    /** Decode an lnr1 with a 3-hop invreq_paths, apply the reader rules, verify its signature. */
    @Benchmark
    public boolean invreqDecodeVerify() {
        InvoiceRequest invreq = InvoiceRequest.decode(f.invreqString);
        return invreq.violations().isEmpty() && Bolt12Check.checkInvoiceRequestSignature(invreq).isEmpty();
    }

    /**
     * What sendinvoice does to answer the request: a fresh preimage, a one-hop blinded payment path
     * to us, the invoice mirroring every request field, its signature and its lni1 string.
     */
    @Benchmark
    public String invoiceBuildSign() {
        PaymentPreimage preimage = PaymentPreimage.random(f.random);
        BlindedPayments.PaymentPath path = BlindedPayments.create(List.of(), new BlindedPayments.Recipient(
                f.payee.publicKey(), Bytes32.random(f.random).bytes(), 1, Long.MAX_VALUE, 18, 902_016), f.random);
        return InvoiceBuilder.forRequest(invreq)
                .createdAt(1_795_000_000L)
                .relativeExpiry(90)
                .paymentHash(preimage.paymentHash())
                .nodeId(f.payee.publicKey())
                .paths(List.of(path))
                .build()
                .sign(f.payee, f.random)
                .encode();
    }

    /** Merkle root, BIP-340 signature (with its self-check) and the lni1 string of an invoice. */
    @Benchmark
    public String invoiceSignEncode() {
        Signature sig = Bolt12Signatures.sign(Bolt12Signatures.INVOICE, unsignedInvoice, f.payee, f.random);
        TlvStream signed = unsignedInvoice.with(List.of(new TlvRecord(Bolt12Field.SIGNATURE, sig.bytes())));
        return Bolt12String.encode(Bolt12String.INVOICE_HRP, signed.encode());
    }
}
