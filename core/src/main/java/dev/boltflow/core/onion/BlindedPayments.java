package dev.boltflow.core.onion;

import dev.boltflow.core.features.Features;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentConstraints;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Blinded payment paths for BOLT 12 {@code invoice_paths}: the encrypted data the recipient puts
 * on each hop, the aggregate {@link BlindedPayInfo} for {@code invoice_blindedpay}, and the
 * recipient's decryption of its own hop when a blinded payment arrives.
 */
public final class BlindedPayments {
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private static final long U32_MAX = 0xffffffffL;

    private BlindedPayments() {
    }

    /**
     * A hop before the recipient: the node, the channel it forwards over to the next hop, the
     * fees and delta it charges, and the HTLC bounds of that channel.
     */
    public record IntermediateHop(PublicKey nodeId, long shortChannelId, PaymentRelay relay, long htlcMinimumMsat,
            long htlcMaximumMsat) {
        public IntermediateHop {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(relay, "relay");
            requireAmounts(htlcMinimumMsat, htlcMaximumMsat);
        }
    }

    /**
     * The recipient (us): its {@code path_id}, HTLC bounds, {@code min_final_cltv_expiry_delta}
     * and the block height after which the path expires ({@code max_cltv_expiry} is that height
     * plus the delta on the last hop, plus each relay's delta before it).
     */
    public record Recipient(PublicKey nodeId, Bytes pathId, long htlcMinimumMsat, long htlcMaximumMsat,
            int minFinalCltvExpiryDelta, long maxCltvExpiry) {
        public Recipient {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(pathId, "pathId");
            requireAmounts(htlcMinimumMsat, htlcMaximumMsat);
            if (minFinalCltvExpiryDelta < 0 || minFinalCltvExpiryDelta > 0xffff) {
                throw new IllegalArgumentException("min_final_cltv_expiry_delta out of range: " + minFinalCltvExpiryDelta);
            }
            if (maxCltvExpiry < 0 || maxCltvExpiry > U32_MAX) {
                throw new IllegalArgumentException("max_cltv_expiry out of range: " + maxCltvExpiry);
            }
        }

        @Override
        public String toString() {
            return "Recipient[" + nodeId + ", path_id=<" + pathId.length() + "B>, htlc=[" + htlcMinimumMsat + ","
                    + htlcMaximumMsat + "], minFinalCltvExpiryDelta=" + minFinalCltvExpiryDelta + ", maxCltvExpiry="
                    + maxCltvExpiry + "]";
        }
    }

    /** One {@code invoice_paths} entry and its {@code invoice_blindedpay} entry. */
    public record PaymentPath(BlindedPath path, BlindedPayInfo info) {
        public PaymentPath {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(info, "info");
        }
    }

    /** {@link #create(List, Recipient, int, PrivateKey)} with a random e_0 and no dummy hops. */
    public static PaymentPath create(List<IntermediateHop> hops, Recipient recipient, SecureRandom random) {
        return create(hops, recipient, 0, PrivateKey.random(random));
    }

    /**
     * A blinded payment path through {@code hops} (the first is the introduction node; none means
     * the path is only the recipient, BOLT 12 §Invoices rationale) to {@code recipient}.
     * Non-final hops get {@code short_channel_id}, {@code payment_relay} and
     * {@code payment_constraints}; the final hop {@code path_id} and {@code payment_constraints}
     * (BOLT 4, creator of {@code encrypted_recipient_data}). No {@code allowed_features}: absent
     * means empty. Hops are padded to equal length.
     *
     * @throws OnionException INVALID_PAYMENT_PARAMETERS when fees, deltas or expiries overflow
     *         their fields, or no amount passes every hop's bounds
     */
    public static PaymentPath create(List<IntermediateHop> hops, Recipient recipient, int dummyHops,
            PrivateKey firstPathKeySecret) {
        return create(hops, recipient, dummyHops, firstPathKeySecret, Optional.empty());
    }

    /**
     * As {@link #create(List, Recipient, int, PrivateKey)} by the recipient itself:
     * {@code recipientKey} is the private key of {@link Recipient#nodeId()}, which blinds our own
     * hops with fixed-base multiplications only (see {@link RouteBlinding#blind}); same bytes.
     */
    public static PaymentPath create(List<IntermediateHop> hops, Recipient recipient, int dummyHops,
            PrivateKey firstPathKeySecret, Optional<PrivateKey> recipientKey) {
        if (recipientKey.isPresent() && !recipientKey.get().publicKey().equals(recipient.nodeId())) {
            throw new IllegalArgumentException("recipientKey is not the recipient's key");
        }
        int k = hops.size();
        long finalMaxCltv = recipient.maxCltvExpiry() + recipient.minFinalCltvExpiryDelta();
        long[] maxCltv = new long[k];
        long acc = finalMaxCltv;
        for (int i = k - 1; i >= 0; i--) {
            acc += hops.get(i).relay().cltvExpiryDelta();
            maxCltv[i] = acc;
        }
        if (acc > U32_MAX) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                    "max_cltv_expiry overflows u32: " + acc);
        }
        List<PublicKey> nodes = new ArrayList<>(k + 1);
        List<EncryptedDataTlv> data = new ArrayList<>(k + 1);
        List<PaymentRelay> relays = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            IntermediateHop h = hops.get(i);
            nodes.add(h.nodeId());
            relays.add(h.relay());
            data.add(EncryptedDataTlv.EMPTY.withShortChannelId(h.shortChannelId()).withPaymentRelay(h.relay())
                    .withPaymentConstraints(new PaymentConstraints(maxCltv[i], h.htlcMinimumMsat())));
        }
        nodes.add(recipient.nodeId());
        data.add(EncryptedDataTlv.EMPTY.withPathId(recipient.pathId())
                .withPaymentConstraints(new PaymentConstraints(finalMaxCltv, recipient.htlcMinimumMsat())));

        BlindedPayInfo fees = aggregate(relays, recipient.minFinalCltvExpiryDelta());
        long min = recipient.htlcMinimumMsat();
        long max = recipient.htlcMaximumMsat();
        for (int i = 0; i < k; i++) {
            // Hop i sees at least its minimum when the recipient gets at least this much (and so on for the maximum).
            min = Math.max(min, forwardThrough(hops, i, hops.get(i).htlcMinimumMsat(), true));
            max = Math.min(max, forwardThrough(hops, i, hops.get(i).htlcMaximumMsat(), false));
        }
        if (min > max) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                    "no amount passes every hop: minimum " + min + " > maximum " + max + " msat");
        }
        BlindedPath path = RouteBlinding.create(firstPathKeySecret, nodes, data, dummyHops, recipientKey);
        return new PaymentPath(path, new BlindedPayInfo(fees.feeBaseMsat(), fees.feeProportionalMillionths(),
                fees.cltvExpiryDelta(), min, max, Features.EMPTY));
    }

    /**
     * BOLT 4 aggregate fees and CLTV delta of a path whose non-final hops charge {@code relays}
     * (introduction node first), folded from the hop nearest the recipient outwards:
     * total_fee_base_msat(n+1) = ceil((fee_base(n+1)·10⁶ + total_base(n)·(10⁶ + prop(n+1))) / 10⁶),
     * total_prop(n+1) = ceil(((total_prop(n) + prop(n+1))·10⁶ + total_prop(n)·prop(n+1)) / 10⁶),
     * total_cltv_delta = Σ cltv_delta + min_final_cltv_expiry_delta. HTLC bounds are left 0 / max.
     */
    public static BlindedPayInfo aggregate(List<PaymentRelay> relays, int minFinalCltvExpiryDelta) {
        BigInteger base = BigInteger.ZERO;
        BigInteger prop = BigInteger.ZERO;
        long cltv = minFinalCltvExpiryDelta;
        for (int i = relays.size() - 1; i >= 0; i--) {
            PaymentRelay r = relays.get(i);
            BigInteger b = BigInteger.valueOf(r.feeBaseMsat());
            BigInteger p = BigInteger.valueOf(r.feeProportionalMillionths());
            base = ceilDiv(b.multiply(MILLION).add(base.multiply(MILLION.add(p))), MILLION);
            prop = ceilDiv(prop.add(p).multiply(MILLION).add(prop.multiply(p)), MILLION);
            cltv += r.cltvExpiryDelta();
        }
        if (base.bitLength() > 32 || prop.bitLength() > 32 || cltv > 0xffff) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                    "aggregate fees or cltv delta overflow: base " + base + ", proportional " + prop + ", cltv " + cltv);
        }
        return new BlindedPayInfo(base.longValueExact(), prop.longValueExact(), (int) cltv, 0, Long.MAX_VALUE,
                Features.EMPTY);
    }

    /**
     * The amount the recipient gets when hop {@code from} receives {@code amount} and every hop
     * from there on keeps its fee (BOLT 4: amt_to_forward = ((amount − fee_base)·10⁶ + 10⁶ +
     * prop − 1) / (10⁶ + prop)). A fee larger than the amount: 0 for a minimum (any amount
     * clears it), an error for a maximum (nothing can pass).
     */
    private static long forwardThrough(List<IntermediateHop> hops, int from, long amount, boolean minimum) {
        BigInteger a = BigInteger.valueOf(amount);
        for (int j = from; j < hops.size(); j++) {
            PaymentRelay r = hops.get(j).relay();
            BigInteger rest = a.subtract(BigInteger.valueOf(r.feeBaseMsat()));
            if (rest.signum() < 0) {
                if (minimum) {
                    return 0;
                }
                throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                        "hop " + j + " charges more than the maximum HTLC of hop " + from);
            }
            BigInteger p = BigInteger.valueOf(r.feeProportionalMillionths());
            a = rest.multiply(MILLION).add(MILLION).add(p).subtract(BigInteger.ONE).divide(MILLION.add(p));
        }
        return a.longValue();
    }

    /**
     * The recipient's side: decrypts its own hop's {@code encrypted_recipient_data} with the
     * {@code path_key} of the incoming HTLC (or the payload's {@code current_path_key}) and its
     * node key. Bad data is a {@link DecodeException}; so is data that BOLT 4's reader rejects
     * ({@code allowed_features} with any bit set, or both {@code short_channel_id} and
     * {@code next_node_id}).
     */
    public static ReceivedPayment decryptRecipientData(PrivateKey nodeKey, PublicKey pathKey,
            Bytes encryptedRecipientData) {
        EncryptedDataTlv data = RouteBlinding.unblinding(nodeKey, pathKey).decrypt(encryptedRecipientData);
        if (data.allowedFeatures().isPresent()) {
            Bytes f = data.allowedFeatures().get();
            for (int i = 0; i < f.length(); i++) {
                if (f.get(i) != 0) {
                    throw new DecodeException("allowed_features has a bit we do not know");
                }
            }
        }
        if (data.shortChannelId().isPresent() && data.nextNodeId().isPresent()) {
            throw new DecodeException("encrypted_recipient_data has both short_channel_id and next_node_id");
        }
        return new ReceivedPayment(data);
    }

    /** A blinded payment's decrypted data at the recipient. */
    public record ReceivedPayment(EncryptedDataTlv data) {
        public ReceivedPayment {
            Objects.requireNonNull(data, "data");
        }

        public Optional<Bytes> pathId() {
            return data.pathId();
        }

        public Optional<PaymentConstraints> constraints() {
            return data.paymentConstraints();
        }

        /** True when the data names a next hop: the HTLC is to be forwarded, not received here. */
        public boolean isForward() {
            return data.shortChannelId().isPresent() || data.nextNodeId().isPresent();
        }

        /** BOLT 4 reader: refuse an HTLC past {@code max_cltv_expiry} or below {@code htlc_minimum_msat}. */
        public boolean allows(long amountMsat, long cltvExpiry) {
            return data.paymentConstraints().map(c -> c.allows(amountMsat, cltvExpiry)).orElse(true);
        }
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        return a.add(b).subtract(BigInteger.ONE).divide(b);
    }

    private static void requireAmounts(long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("htlc bounds must satisfy 0 <= min <= max, got " + min + ", " + max);
        }
    }
}
