package dev.boltflow.core.onion;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.onion.EncryptedDataTlv.PaymentRelay;
import dev.boltflow.core.onion.PaymentOnionException.Reason;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A payment onion into a BOLT 12 blinded payment path, both ways.
 *
 * <p><b>Sending</b> (BOLT 4, Route Blinding, reader of the {@code blinded_path}, and the writer of
 * the TLV {@code payload}): the introduction node gets an unblinded onion layer, encrypted to
 * {@code first_node_id}, whose payload carries {@code current_path_key} = {@code first_path_key};
 * every later hop's layer is encrypted to its {@code blinded_node_id}. Every hop gets its
 * {@code encrypted_recipient_data}; the final hop also {@code amt_to_forward},
 * {@code outgoing_cltv_value} and {@code total_amount_msat}, and relay hops nothing else. The HTLC
 * entering the path pays the path's aggregate fee from {@code blinded_payinfo} and adds its
 * {@code cltv_expiry_delta}. Hops outside the path may be put in front ({@link Route#prepend}).
 *
 * <p><b>Receiving</b> ({@link #peel}, BOLT 4, Onion Decryption and the reader of the TLV
 * {@code payload}): with a {@code path_key} in the incoming HTLC the node peels with its blinded
 * private key; without one it peels with its node key and, as introduction node, takes the path
 * key from {@code current_path_key}. A relay hop decrypts its {@code encrypted_recipient_data},
 * checks {@code payment_constraints} and computes what to forward from {@code payment_relay}; the
 * final hop checks the amounts and expiries the onion names and leaves the recipient's own data
 * ({@code path_id}, constraints) to the recipient ({@code SendInvoice.acceptPayment}).
 */
public final class BlindedPaymentOnion {
    /** A payment {@code onion_routing_packet}: 1 + 33 + 1300 + 32 bytes. */
    public static final int PACKET_LENGTH = Sphinx.OVERHEAD + Sphinx.PAYLOADS_LENGTH;
    /** Dummy hops back to ourselves are peeled locally; no path has more hops than this. */
    private static final int MAX_HOPS = 255;

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private static final long U32_MAX = 0xffffffffL;
    private static final Set<Long> FINAL_FIELDS = Set.of(PaymentOnionPayload.AMT_TO_FORWARD,
            PaymentOnionPayload.OUTGOING_CLTV_VALUE, PaymentOnionPayload.ENCRYPTED_RECIPIENT_DATA,
            PaymentOnionPayload.CURRENT_PATH_KEY, PaymentOnionPayload.TOTAL_AMOUNT_MSAT);
    private static final Set<Long> RELAY_FIELDS = Set.of(PaymentOnionPayload.ENCRYPTED_RECIPIENT_DATA,
            PaymentOnionPayload.CURRENT_PATH_KEY);

    private BlindedPaymentOnion() {
    }

    // ---------------------------------------------------------------- sending

    /**
     * The sender's route: one onion key and payload per hop, and the HTLC that enters the first
     * hop ({@code amountMsat} at {@code cltvExpiry} to {@code firstNode}).
     */
    public record Route(PublicKey firstNode, long amountMsat, long cltvExpiry, List<PublicKey> hopKeys,
            List<PaymentOnionPayload> payloads) {
        public Route {
            Objects.requireNonNull(firstNode, "firstNode");
            hopKeys = List.copyOf(hopKeys);
            payloads = List.copyOf(payloads);
            if (hopKeys.isEmpty() || hopKeys.size() != payloads.size()) {
                throw new IllegalArgumentException("one payload per hop and at least one hop");
            }
            if (amountMsat <= 0) {
                throw new IllegalArgumentException("amount must be positive: " + amountMsat);
            }
            if (cltvExpiry < 0 || cltvExpiry > U32_MAX) {
                throw new IllegalArgumentException("cltv_expiry is a u32: " + cltvExpiry);
            }
        }

        /**
         * Puts an unblinded hop in front (BOLT 4: the reader of a blinded path MUST prepend its own
         * hops to reach {@code first_node_id}): {@code nodeId} forwards the current HTLC over
         * {@code shortChannelId} and is paid {@code feeMsat} more and {@code cltvExpiryDelta}
         * blocks more.
         */
        public Route prepend(PublicKey nodeId, long shortChannelId, long feeMsat, int cltvExpiryDelta) {
            if (feeMsat < 0 || cltvExpiryDelta < 0 || cltvExpiryDelta > 0xffff) {
                throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                        "fee and cltv delta must be non-negative (delta a u16): " + feeMsat + ", " + cltvExpiryDelta);
            }
            List<PublicKey> keys = new ArrayList<>();
            keys.add(nodeId);
            keys.addAll(hopKeys);
            List<PaymentOnionPayload> ps = new ArrayList<>();
            ps.add(PaymentOnionPayload.forwarding(shortChannelId, amountMsat, cltvExpiry));
            ps.addAll(payloads);
            return new Route(nodeId, addExact(amountMsat, feeMsat), cltv(cltvExpiry + cltvExpiryDelta), keys, ps);
        }

        /**
         * The onion for this route, bound to {@code paymentHash} (its associated data).
         *
         * @param sessionKey fresh from a CSPRNG for every payment
         * @throws OnionException PACKET_TOO_BIG when the payloads do not fit 1300 bytes
         */
        public Outgoing onion(PrivateKey sessionKey, Bytes32 paymentHash) {
            List<Bytes> encoded = new ArrayList<>(payloads.size());
            for (PaymentOnionPayload p : payloads) {
                encoded.add(p.encode());
            }
            Bytes packet = Sphinx.createPaymentPacket(sessionKey, hopKeys, encoded, paymentHash.bytes());
            return new Outgoing(firstNode, amountMsat, cltvExpiry, packet);
        }

        @Override
        public String toString() {
            return "Route[first=" + firstNode + ", " + hopKeys.size() + " hops, amountMsat=" + amountMsat
                    + ", cltvExpiry=" + cltvExpiry + "]";
        }
    }

    /** What the sender hands the first hop: an HTLC of {@code amountMsat} at {@code cltvExpiry} carrying {@code packet}. */
    public record Outgoing(PublicKey firstNode, long amountMsat, long cltvExpiry, Bytes packet) {
        public Outgoing {
            Objects.requireNonNull(firstNode, "firstNode");
            Objects.requireNonNull(packet, "packet");
        }

        @Override
        public String toString() {
            return "Outgoing[first=" + firstNode + ", amountMsat=" + amountMsat + ", cltvExpiry=" + cltvExpiry
                    + ", packet=" + packet.length() + "B]";
        }
    }

    /**
     * The route of a payment of {@code amountMsat} to the recipient of {@code path}.
     *
     * @param totalAmountMsat  {@code total_amount_msat}: the whole payment ({@code amountMsat} unless
     *                         this is one part of several)
     * @param finalCltvExpiry  the final hop's {@code outgoing_cltv_value}: the current block height
     *                         (BOLT 4: MUST use it as the baseline), plus any random offset
     * @throws OnionException  INVALID_ROUTE for a path without hops or whose payinfo has an unknown
     *                         even feature (BOLT 12: MUST NOT use it), UNRESOLVED_INTRODUCTION_NODE
     *                         for a {@code sciddir} introduction node, INVALID_PAYMENT_PARAMETERS for
     *                         an amount outside the payinfo's HTLC bounds or sums that overflow
     */
    public static Route route(BlindedPath path, BlindedPayInfo info, long amountMsat, long totalAmountMsat,
            long finalCltvExpiry) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(info, "info");
        int n = path.numHops();
        if (n == 0) {
            throw new OnionException(OnionException.Reason.INVALID_ROUTE, "blinded path has no hops");
        }
        PublicKey intro = path.firstNodeId().nodeId().orElseThrow(() -> new OnionException(
                OnionException.Reason.UNRESOLVED_INTRODUCTION_NODE,
                "introduction node given as a short channel id: " + path.firstNodeId()));
        List<Integer> unknownEven = info.features().unknownEvenBits(bit -> false);
        if (!unknownEven.isEmpty()) {
            // BOLT 12, reader of an invoice: MUST NOT use a path whose payinfo has unknown even bits.
            throw new OnionException(OnionException.Reason.INVALID_ROUTE,
                    "blinded_payinfo features have unknown even bits " + unknownEven);
        }
        if (amountMsat <= 0 || totalAmountMsat < amountMsat) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS,
                    "amount must be positive and at most the total: " + amountMsat + " of " + totalAmountMsat);
        }
        if (Long.compareUnsigned(amountMsat, info.htlcMinimumMsat()) < 0
                || Long.compareUnsigned(amountMsat, info.htlcMaximumMsat()) > 0) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, amountMsat
                    + " msat is outside the path's HTLC bounds [" + Long.toUnsignedString(info.htlcMinimumMsat()) + ", "
                    + Long.toUnsignedString(info.htlcMaximumMsat()) + "]");
        }
        long entryAmount = addExact(amountMsat, fee(info, amountMsat));
        long entryCltv = cltv(cltv(finalCltvExpiry) + info.cltvExpiryDelta());

        List<PublicKey> keys = new ArrayList<>(n);
        List<PaymentOnionPayload> payloads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BlindedPath.Hop hop = path.hops().get(i);
            // The introduction node's layer is unblinded (encrypted to first_node_id); then the blinded ids.
            keys.add(i == 0 ? intro : hop.blindedNodeId());
            PaymentOnionPayload p = i == n - 1
                    ? PaymentOnionPayload.blindedFinal(hop.encryptedRecipientData(), amountMsat, finalCltvExpiry,
                            totalAmountMsat)
                    : PaymentOnionPayload.blindedRelay(hop.encryptedRecipientData());
            payloads.add(i == 0 ? p.withCurrentPathKey(path.firstPathKey()) : p);
        }
        return new Route(intro, entryAmount, entryCltv, keys, payloads);
    }

    /** {@link #route} for a single-part payment, then its onion. */
    public static Outgoing create(PrivateKey sessionKey, BlindedPath path, BlindedPayInfo info, long amountMsat,
            long finalCltvExpiry, Bytes32 paymentHash) {
        return route(path, info, amountMsat, amountMsat, finalCltvExpiry).onion(sessionKey, paymentHash);
    }

    /** The path's fee for delivering {@code amountMsat}: fee_base_msat + amount·fee_proportional_millionths / 10⁶. */
    public static long fee(BlindedPayInfo info, long amountMsat) {
        BigInteger f = BigInteger.valueOf(info.feeBaseMsat()).add(BigInteger.valueOf(amountMsat)
                .multiply(BigInteger.valueOf(info.feeProportionalMillionths())).divide(MILLION));
        if (f.bitLength() > 63) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, "fee overflows: " + f);
        }
        return f.longValue();
    }

    // ---------------------------------------------------------------- receiving

    /**
     * An HTLC as the receiving node sees it: its payment hash, amount, expiry, the {@code path_key}
     * it came with (set when we are inside a blinded route after its introduction node) and the
     * 1366-byte onion.
     */
    public record IncomingHtlc(Bytes32 paymentHash, long amountMsat, long cltvExpiry, Optional<PublicKey> pathKey,
            Bytes onion) {
        public IncomingHtlc {
            Objects.requireNonNull(paymentHash, "paymentHash");
            Objects.requireNonNull(pathKey, "pathKey");
            Objects.requireNonNull(onion, "onion");
            if (amountMsat <= 0) {
                throw new IllegalArgumentException("amount must be positive: " + amountMsat);
            }
            if (cltvExpiry < 0 || cltvExpiry > U32_MAX) {
                throw new IllegalArgumentException("cltv_expiry is a u32: " + cltvExpiry);
            }
        }

        @Override
        public String toString() {
            return "IncomingHtlc[amountMsat=" + amountMsat + ", cltvExpiry=" + cltvExpiry
                    + (pathKey.isPresent() ? ", path_key" : "") + ", onion=" + onion.length() + "B]";
        }
    }

    /** What a node does with an HTLC whose onion it peeled. */
    public sealed interface Received {

        /**
         * The HTLC ends here. The recipient checks its own hop's data: decrypt
         * {@code encryptedRecipientData} with {@code pathKey}, its {@code path_id} and constraints.
         *
         * @param introduction the path key came from {@code current_path_key}: we are the
         *                     introduction node as well as the recipient (a one-hop path)
         */
        record Final(PublicKey pathKey, Bytes encryptedRecipientData, long amtToForward, long outgoingCltvValue,
                long totalAmountMsat, boolean introduction) implements Received {
            public Final {
                Objects.requireNonNull(pathKey, "pathKey");
                Objects.requireNonNull(encryptedRecipientData, "encryptedRecipientData");
            }

            /**
             * The failure code when the recipient refuses the payment: its details error
             * ({@code incorrect_or_unknown_payment_details}) when it introduced the path, else
             * {@code invalid_onion_blinding} (BOLT 4, Failure Messages).
             */
            public int rejectionCode() {
                return introduction ? PaymentOnionException.INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS
                        : PaymentOnionException.INVALID_ONION_BLINDING;
            }

            @Override
            public String toString() {
                return "Final[amtToForward=" + amtToForward + ", outgoingCltvValue=" + outgoingCltvValue
                        + ", totalAmountMsat=" + totalAmountMsat + (introduction ? ", introduction" : "") + "]";
            }
        }

        /** Forward an HTLC of {@code amountMsat} at {@code cltvExpiry} to {@code next}, with {@code nextPathKey}. */
        record Forward(NextHop next, PublicKey nextPathKey, Bytes nextPacket, long amountMsat, long cltvExpiry)
                implements Received {
            public Forward {
                Objects.requireNonNull(next, "next");
                Objects.requireNonNull(nextPathKey, "nextPathKey");
                Objects.requireNonNull(nextPacket, "nextPacket");
            }

            @Override
            public String toString() {
                return "Forward[next=" + next + ", amountMsat=" + amountMsat + ", cltvExpiry=" + cltvExpiry + "]";
            }
        }
    }

    /**
     * Peels the onion of an HTLC that reached us (see the class comment). Hops the path sends back
     * to us ({@code next_node_id} = our node id: dummy hops) are peeled here too, so a
     * {@link Received.Forward} always names another node.
     *
     * @param currentBlockHeight       for the final hop's expiry check
     * @param minFinalCltvExpiryDelta  ours, for the same check
     * @throws PaymentOnionException   whenever BOLT 4 says to fail the HTLC, with the failure code to
     *                                 return
     */
    public static Received peel(PrivateKey nodeKey, IncomingHtlc htlc, long currentBlockHeight,
            int minFinalCltvExpiryDelta) {
        Objects.requireNonNull(nodeKey, "nodeKey");
        Objects.requireNonNull(htlc, "htlc");
        PublicKey us = nodeKey.publicKey();
        IncomingHtlc at = htlc;
        for (int i = 0; i < MAX_HOPS; i++) {
            Received r = peelOnce(nodeKey, at, currentBlockHeight, minFinalCltvExpiryDelta);
            if (!(r instanceof Received.Forward f) || !f.next().equals(new NextHop.Node(us))) {
                return r;
            }
            at = new IncomingHtlc(htlc.paymentHash(), f.amountMsat(), f.cltvExpiry(), Optional.of(f.nextPathKey()),
                    f.nextPacket());
        }
        throw new PaymentOnionException(Reason.INVALID_BLINDING, PaymentOnionException.INVALID_ONION_BLINDING,
                "more than " + MAX_HOPS + " hops back to ourselves", null);
    }

    private static Received peelOnce(PrivateKey nodeKey, IncomingHtlc htlc, long height, int minFinalDelta) {
        boolean blindedHop = htlc.pathKey().isPresent();
        Bytes onion = htlc.onion();
        // BOLT 4, Onion Decryption: version not 0 or public_key invalid → abort.
        if (onion.length() != PACKET_LENGTH || onion.get(0) != Sphinx.VERSION) {
            throw failure(Reason.MALFORMED_PACKET, blindedHop, "onion of " + onion.length() + " bytes, version "
                    + (onion.length() > 0 ? onion.get(0) & 0xff : -1), null);
        }
        try {
            PublicKey.fromBytes(onion.slice(1, 1 + PublicKey.LENGTH));
        } catch (DecodeException e) {
            throw failure(Reason.BAD_KEY, blindedHop, "onion public_key: " + e.getMessage(), e);
        }
        RouteBlinding.Unblinding unblinding = blindedHop ? RouteBlinding.unblinding(nodeKey, htlc.pathKey().get()) : null;
        PrivateKey onionKey = blindedHop ? unblinding.blindedPrivateKey() : nodeKey;
        Sphinx.Peeled peeled;
        try {
            peeled = Sphinx.peel(onionKey, onion, htlc.paymentHash().bytes());
        } catch (AuthenticationException e) {
            throw failure(Reason.BAD_HMAC, blindedHop, "onion hmac mismatch", e);
        } catch (DecodeException e) {
            throw failure(Reason.INVALID_PAYLOAD, blindedHop, "hop payload: " + e.getMessage(), e);
        }
        PaymentOnionPayload payload;
        try {
            payload = PaymentOnionPayload.decode(peeled.payload());
        } catch (DecodeException e) {
            throw failure(Reason.INVALID_PAYLOAD, blindedHop, "payload: " + e.getMessage(), e);
        }
        boolean isFinal = peeled.isFinal();
        // BOLT 4, Failure Messages: inside a blinded route (a path_key came with the HTLC, or we
        // introduce a path that goes on) every error is invalid_onion_blinding.
        boolean blinding = blindedHop || (payload.currentPathKey().isPresent() && !isFinal);

        if (payload.encryptedRecipientData().isEmpty()) {
            if (blindedHop) {
                throw failure(Reason.INVALID_BLINDING, true, "a blinded hop without encrypted_recipient_data", null);
            }
            throw failure(Reason.NOT_BLINDED, blinding, "not a payment into a blinded route", null);
        }
        Bytes enc = payload.encryptedRecipientData().get();
        PublicKey pathKey;
        if (blindedHop) {
            // BOLT 4 reader: path_key in the HTLC → MUST return an error if current_path_key is present.
            if (payload.currentPathKey().isPresent()) {
                throw failure(Reason.INVALID_BLINDING, true, "current_path_key as well as the HTLC's path_key", null);
            }
            pathKey = htlc.pathKey().get();
        } else {
            // BOLT 4 reader: otherwise MUST return an error if current_path_key is not present.
            pathKey = payload.currentPathKey().orElseThrow(() -> failure(Reason.INVALID_BLINDING, blinding,
                    "encrypted_recipient_data without a path key", null));
        }

        if (isFinal) {
            return finalHop(payload, pathKey, enc, htlc, blinding, !blindedHop, height, minFinalDelta);
        }
        // BOLT 4 reader, not the final node: nothing but encrypted_recipient_data and current_path_key.
        for (long t : payload.types()) {
            if (!RELAY_FIELDS.contains(t)) {
                throw failure(Reason.INVALID_FIELDS, blinding, "relay hop payload has type " + t, null);
            }
        }
        BlindedPayments.ReceivedPayment data;
        try {
            data = BlindedPayments.decryptRecipientData(nodeKey, pathKey, enc);
        } catch (DecodeException e) {
            throw failure(Reason.INVALID_BLINDING, blinding, "encrypted_recipient_data: " + e.getMessage(), e);
        }
        if (!data.isForward()) {
            throw failure(Reason.INVALID_BLINDING, blinding, "the onion goes on but the data names no next hop", null);
        }
        Optional<PaymentRelay> relay = data.data().paymentRelay();
        if (relay.isEmpty()) {
            throw failure(Reason.INVALID_BLINDING, blinding, "relay hop without payment_relay", null);
        }
        if (!data.allows(htlc.amountMsat(), htlc.cltvExpiry())) {
            throw failure(Reason.CONSTRAINTS, blinding, "payment_constraints refuse the HTLC", null);
        }
        PaymentRelay r = relay.get();
        long rest = htlc.amountMsat() - r.feeBaseMsat();
        if (rest <= 0 || htlc.cltvExpiry() < r.cltvExpiryDelta()) {
            throw failure(Reason.CONSTRAINTS, blinding, "the HTLC does not cover the relay's fee or cltv delta", null);
        }
        // BOLT 4: amt_to_forward = ((amount_msat - fee_base_msat)·10⁶ + 10⁶ + prop - 1) / (10⁶ + prop)
        BigInteger prop = BigInteger.valueOf(r.feeProportionalMillionths());
        // With rest ≥ 1 this is at least 1: the numerator is at least 10⁶ + prop.
        long forward = BigInteger.valueOf(rest).multiply(MILLION).add(MILLION).add(prop).subtract(BigInteger.ONE)
                .divide(MILLION.add(prop)).longValueExact();
        NextHop next = data.data().nextNodeId().isPresent() ? new NextHop.Node(data.data().nextNodeId().get())
                : new NextHop.Channel(data.data().shortChannelId().getAsLong());
        RouteBlinding.Unblinding u = unblinding != null ? unblinding : RouteBlinding.unblinding(nodeKey, pathKey);
        return new Received.Forward(next, u.nextPathKey(data.data()), peeled.nextPacket().get(), forward,
                htlc.cltvExpiry() - r.cltvExpiryDelta());
    }

    private static Received.Final finalHop(PaymentOnionPayload payload, PublicKey pathKey, Bytes enc, IncomingHtlc htlc,
            boolean blinding, boolean introduction, long height, int minFinalDelta) {
        // BOLT 4 reader, final node of a blinded route: only these fields, and the three amounts present.
        for (long t : payload.types()) {
            if (!FINAL_FIELDS.contains(t)) {
                throw failure(Reason.INVALID_FIELDS, blinding, "final hop payload has type " + t, null);
            }
        }
        if (payload.amtToForward().isEmpty() || payload.outgoingCltvValue().isEmpty()
                || payload.totalAmountMsat().isEmpty()) {
            throw failure(Reason.INVALID_FIELDS, blinding,
                    "final hop needs amt_to_forward, outgoing_cltv_value and total_amount_msat", null);
        }
        long amt = payload.amtToForward().getAsLong();
        long outgoingCltv = payload.outgoingCltvValue().getAsLong();
        if (htlc.amountMsat() < amt) {
            throw failure(Reason.FINAL_AMOUNT, blinding, "HTLC of " + htlc.amountMsat()
                    + " msat below amt_to_forward " + amt, null);
        }
        if (htlc.cltvExpiry() < outgoingCltv) {
            throw failure(Reason.FINAL_CLTV, blinding, "cltv_expiry " + htlc.cltvExpiry()
                    + " below outgoing_cltv_value " + outgoingCltv, null);
        }
        if (htlc.cltvExpiry() < height + minFinalDelta) {
            throw failure(Reason.EXPIRY_TOO_SOON, blinding, "cltv_expiry " + htlc.cltvExpiry() + " below height "
                    + height + " + min_final_cltv_expiry_delta " + minFinalDelta, null);
        }
        return new Received.Final(pathKey, enc, amt, outgoingCltv, payload.totalAmountMsat().getAsLong(), introduction);
    }

    private static PaymentOnionException failure(Reason reason, boolean blinding, String message, Throwable cause) {
        return new PaymentOnionException(reason, blinding ? PaymentOnionException.INVALID_ONION_BLINDING : reason.code(),
                message, cause);
    }

    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, "amount overflows: " + a + " + " + b);
        }
    }

    private static long cltv(long v) {
        if (v < 0 || v > U32_MAX) {
            throw new OnionException(OnionException.Reason.INVALID_PAYMENT_PARAMETERS, "cltv expiry is a u32: " + v);
        }
        return v;
    }
}
