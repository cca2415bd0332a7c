package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.onion.BlindedPayments;
import java.util.List;
import java.util.Objects;

/**
 * The limits and choices of the sendinvoice pipeline. Every limit is explicit; {@link #defaults}
 * gives the values documented in the README.
 *
 * @param chain                     the chain we are on (an invreq for another chain is refused)
 * @param paymentPathHops           hops before us in our blinded payment path (empty: we introduce it)
 * @param replyPathIntermediates    hops before us in the reply path we attach (empty: we introduce it)
 * @param minFinalCltvExpiryDelta   our final CLTV delta, added to the path's aggregate delta
 * @param paymentPathCltvExpiry     blocks from now during which the payment path may be used
 * @param htlcMinimumMsat           smallest HTLC our payment path takes
 * @param htlcMaximumMsat           largest HTLC our payment path ever takes; each invoice's path takes at
 *                                  most twice its amount (what {@code acceptPayment} accepts), below this
 * @param invoiceFeatures           {@code invoice_features} we write
 * @param parallelPaths             how many {@code invreq_paths} entries get the invoice at once (1 is
 *                                  Core Lightning's behaviour; LDK sends to several)
 * @param resendAtHalfTimeout       send once more, over the next reachable path, when nothing came back
 *                                  by half the timeout (BOLT 4: SHOULD retry via another path)
 * @param maxPending                sends waiting at once; one more is refused with -1
 */
public record SendInvoiceConfig(
        Bytes32 chain,
        List<BlindedPayments.IntermediateHop> paymentPathHops,
        List<PublicKey> replyPathIntermediates,
        int minFinalCltvExpiryDelta,
        int paymentPathCltvExpiry,
        long htlcMinimumMsat,
        long htlcMaximumMsat,
        Features invoiceFeatures,
        int parallelPaths,
        boolean resendAtHalfTimeout,
        int maxPending) {

    public SendInvoiceConfig {
        Objects.requireNonNull(chain, "chain");
        paymentPathHops = List.copyOf(paymentPathHops);
        replyPathIntermediates = List.copyOf(replyPathIntermediates);
        Objects.requireNonNull(invoiceFeatures, "invoiceFeatures");
        if (minFinalCltvExpiryDelta < 0 || minFinalCltvExpiryDelta > 0xffff) {
            throw new IllegalArgumentException("minFinalCltvExpiryDelta must be a u16");
        }
        if (paymentPathCltvExpiry <= 0) {
            throw new IllegalArgumentException("paymentPathCltvExpiry must be positive");
        }
        if (htlcMinimumMsat < 0 || htlcMaximumMsat < htlcMinimumMsat
                || htlcMaximumMsat > SendInvoiceRequest.MAX_AMOUNT_MSAT * 2) {
            throw new IllegalArgumentException("need 0 <= htlcMinimumMsat <= htlcMaximumMsat <= 2 x 21 million BTC");
        }
        if (parallelPaths < 1) {
            throw new IllegalArgumentException("parallelPaths must be at least 1");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1");
        }
    }

    /**
     * Our node introduces both paths; 18-block final delta; HTLCs from 1 msat up to twice the invoice's
     * amount; 1 path at a time; 100,000 pending.
     */
    public static SendInvoiceConfig defaults(Bytes32 chain) {
        return new SendInvoiceConfig(chain, List.of(), List.of(), 18, 2016, 1, SendInvoiceRequest.MAX_AMOUNT_MSAT * 2,
                Features.EMPTY, 1, true, 100_000);
    }

    /**
     * The {@code htlc_maximum_msat} of the payment path of an invoice for {@code amountMsat}: twice the
     * amount (an HTLC above it would be refused: {@code acceptPayment} takes at most twice), within
     * {@link #htlcMaximumMsat}, and never below {@link #htlcMinimumMsat}.
     */
    public long htlcMaximumFor(long amountMsat) {
        long twice = amountMsat > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : amountMsat * 2;
        return Math.max(htlcMinimumMsat, Math.min(twice, htlcMaximumMsat));
    }

    public SendInvoiceConfig withParallelPaths(int n) {
        return new SendInvoiceConfig(chain, paymentPathHops, replyPathIntermediates, minFinalCltvExpiryDelta,
                paymentPathCltvExpiry, htlcMinimumMsat, htlcMaximumMsat, invoiceFeatures, n, resendAtHalfTimeout,
                maxPending);
    }

    public SendInvoiceConfig withResendAtHalfTimeout(boolean resend) {
        return new SendInvoiceConfig(chain, paymentPathHops, replyPathIntermediates, minFinalCltvExpiryDelta,
                paymentPathCltvExpiry, htlcMinimumMsat, htlcMaximumMsat, invoiceFeatures, parallelPaths, resend,
                maxPending);
    }

    public SendInvoiceConfig withMaxPending(int n) {
        return new SendInvoiceConfig(chain, paymentPathHops, replyPathIntermediates, minFinalCltvExpiryDelta,
                paymentPathCltvExpiry, htlcMinimumMsat, htlcMaximumMsat, invoiceFeatures, parallelPaths,
                resendAtHalfTimeout, n);
    }
}
