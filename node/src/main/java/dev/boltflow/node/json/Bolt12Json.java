package dev.boltflow.node.json;

import dev.boltflow.core.onion.BlindedPayInfo;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.bolt12.Bip353Name;

import dev.boltflow.core.bolt12.Bolt12Check;
import dev.boltflow.core.bolt12.Bolt12Field;
import dev.boltflow.core.bolt12.Bolt12Object;
import dev.boltflow.core.bolt12.FallbackAddress;
import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.bolt12.InvoiceRequestContents;
import dev.boltflow.core.bolt12.Offer;
import dev.boltflow.core.bolt12.OfferContents;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.onion.SciddirOrPubkey;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bytes.U64;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * BOLT 12 objects as Core Lightning's {@code decode} command prints them
 * ({@code ../shared/cln-schemas/decode.json}): the same field names and units, every u64 an unsigned
 * number, and what is wrong as Core Lightning's {@code warning_*} fields.
 */
public final class Bolt12Json {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Bolt12Json() {
    }

    /**
     * The decode answer for an object and its check, as Core Lightning's {@code decode.json} allows
     * it: when valid, every field; when not, {@code valid: false}, the {@code warning_*} fields that
     * say why, and only the fields its invalid branch lists (the offer, invoice_request and payer
     * fields; no signature, no unknown records, no invoice fields). Empty when a violation has no
     * {@code warning_*} of Core Lightning's: its {@code decode} refuses such a string outright, and so
     * does ours (see {@link Bolt12Decoding}).
     */
    public static Optional<ObjectNode> decode(Bolt12Object object, Bolt12Check.Result check) {
        ObjectNode o = F.objectNode();
        if (object instanceof Offer offer) {
            o.put("type", "bolt12 offer");
            o.put("valid", true);
            check.offerId().ifPresent(id -> o.put("offer_id", id.toHex()));
            offerFields(o, offer);
            unknown(o, "unknown_offer_tlvs", offer);
        } else if (object instanceof InvoiceRequest invreq) {
            o.put("type", "bolt12 invoice_request");
            o.put("valid", true);
            offerIdIfResponding(o, invreq, check);
            offerFields(o, invreq);
            invreqFields(o, invreq);
            invreq.signature().ifPresent(s -> o.put("signature", s.toString()));
            unknown(o, "unknown_invoice_request_tlvs", invreq);
        } else {
            Invoice invoice = (Invoice) object;
            o.put("type", "bolt12 invoice");
            o.put("valid", true);
            offerIdIfResponding(o, invoice, check);
            offerFields(o, invoice);
            invreqFields(o, invoice);
            invoiceFields(o, invoice);
            invoice.signature().ifPresent(s -> o.put("signature", s.toString()));
            unknown(o, "unknown_invoice_tlvs", invoice);
        }
        Map<String, String> warnings = new LinkedHashMap<>();
        for (Bolt12ParseException v : check.violations()) {
            Optional<String> name = ClnDecodeWarnings.name(object, v);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            warnings.putIfAbsent(name.get(), v.getMessage());
        }
        // Core Lightning's decode requires a signature of every invoice_request, also of those that
        // answer no offer (which BOLT 12's writer "MUST NOT" sign, and sendinvoice accepts unsigned).
        if (object instanceof InvoiceRequest invreq && invreq.signature().isEmpty()) {
            warnings.putIfAbsent(ClnDecodeWarnings.MISSING_INVOICE_REQUEST_SIGNATURE, "Missing signature");
        }
        if (warnings.isEmpty()) {
            return Optional.of(o);
        }
        o.put("valid", false);
        o.properties().removeIf(e -> !ClnDecodeWarnings.inInvalidBranch(object, e.getKey()));
        warnings.forEach(o::put);
        return Optional.of(o);
    }

    private static void offerIdIfResponding(ObjectNode o, InvoiceRequestContents c, Bolt12Check.Result check) {
        // Core Lightning prints offer_id for messages that answer an offer: one with an issuer.
        if (c.offerIssuerId().isPresent() || c.offerPaths().isPresent()) {
            check.offerId().ifPresent(id -> o.put("offer_id", id.toHex()));
        }
    }

    private static void offerFields(ObjectNode o, OfferContents c) {
        c.offerChains().ifPresent(chains -> {
            ArrayNode a = o.putArray("offer_chains");
            chains.forEach(h -> a.add(h.toHex()));
        });
        c.offerMetadata().ifPresent(m -> o.put("offer_metadata", m.toHex()));
        c.offerCurrency().ifPresent(cur -> o.put("offer_currency", cur));
        c.offerAmount().ifPresent(a -> u64(o, c.offerCurrency().isPresent() ? "offer_amount" : "offer_amount_msat", a));
        c.offerDescription().ifPresent(d -> o.put("offer_description", d));
        c.offerIssuer().ifPresent(i -> o.put("offer_issuer", i));
        c.offerFeatures().ifPresent(f -> o.put("offer_features", f.bitmap().toHex()));
        c.offerAbsoluteExpiry().ifPresent(e -> u64(o, "offer_absolute_expiry", e));
        c.offerQuantityMax().ifPresent(q -> u64(o, "offer_quantity_max", q));
        c.offerPaths().ifPresent(paths -> o.set("offer_paths", paths(paths, Optional.empty())));
        c.offerIssuerId().ifPresent(k -> o.put("offer_issuer_id", k.toHex()));
    }

    private static void invreqFields(ObjectNode o, InvoiceRequestContents c) {
        c.invreqMetadata().ifPresent(m -> o.put("invreq_metadata", m.toHex()));
        c.invreqPayerId().ifPresent(k -> o.put("invreq_payer_id", k.toHex()));
        c.invreqChain().ifPresent(h -> o.put("invreq_chain", h.toHex()));
        c.invreqAmount().ifPresent(a -> u64(o, "invreq_amount_msat", a));
        c.invreqFeatures().ifPresent(f -> o.put("invreq_features", f.bitmap().toHex()));
        c.invreqQuantity().ifPresent(q -> u64(o, "invreq_quantity", q));
        c.invreqPayerNote().ifPresent(n -> o.put("invreq_payer_note", n));
        c.invreqPaths().ifPresent(paths -> o.set("invreq_paths", paths(paths, Optional.empty())));
        c.invreqBip353Name().ifPresent(n -> o.set("invreq_bip_353_name", bip353(n)));
    }

    private static void invoiceFields(ObjectNode o, Invoice c) {
        c.invoicePaths().ifPresent(paths -> o.set("invoice_paths", paths(paths, c.invoiceBlindedpay())));
        c.invoiceCreatedAt().ifPresent(t -> u64(o, "invoice_created_at", t));
        c.invoiceRelativeExpiry().ifPresent(t -> u64(o, "invoice_relative_expiry", t));
        c.invoicePaymentHash().ifPresent(h -> o.put("invoice_payment_hash", h.toHex()));
        c.invoiceAmount().ifPresent(a -> u64(o, "invoice_amount_msat", a));
        c.invoiceFallbacks().ifPresent(fs -> {
            ArrayNode a = o.putArray("invoice_fallbacks");
            for (FallbackAddress f : fs) {
                a.addObject().put("version", f.version()).put("hex", f.address().toHex());
            }
        });
        c.invoiceFeatures().ifPresent(f -> o.put("invoice_features", f.bitmap().toHex()));
        c.invoiceNodeId().ifPresent(k -> o.put("invoice_node_id", k.toHex()));
    }

    private static ArrayNode paths(List<BlindedPath> paths, Optional<List<BlindedPayInfo>> payinfos) {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < paths.size(); i++) {
            BlindedPath p = paths.get(i);
            ObjectNode n = a.addObject();
            SciddirOrPubkey first = p.firstNodeId();
            if (first instanceof SciddirOrPubkey.NodeId id) {
                n.put("first_node_id", id.key().toHex());
            } else {
                SciddirOrPubkey.Sciddir s = (SciddirOrPubkey.Sciddir) first;
                n.put("first_scid", shortChannelId(s.shortChannelId()));
                n.put("first_scid_dir", s.direction());
            }
            n.put("first_path_key", p.firstPathKey().toHex());
            if (payinfos.isPresent() && i < payinfos.get().size()) {
                BlindedPayInfo pi = payinfos.get().get(i);
                ObjectNode payinfo = n.putObject("payinfo")
                        .put("fee_base_msat", pi.feeBaseMsat())
                        .put("fee_proportional_millionths", pi.feeProportionalMillionths())
                        .put("cltv_expiry_delta", pi.cltvExpiryDelta());
                u64(payinfo, "htlc_minimum_msat", pi.htlcMinimumMsat());
                u64(payinfo, "htlc_maximum_msat", pi.htlcMaximumMsat());
                payinfo.put("features", pi.features().bitmap().toHex());
            }
            ArrayNode hops = n.putArray("path");
            for (BlindedPath.Hop h : p.hops()) {
                hops.addObject()
                        .put("blinded_node_id", h.blindedNodeId().toHex())
                        .put("encrypted_recipient_data", h.encryptedRecipientData().toHex());
            }
        }
        return a;
    }

    private static ObjectNode bip353(Bip353Name n) {
        return F.objectNode()
                .put("name", new String(n.name().toArray(), StandardCharsets.UTF_8))
                .put("domain", new String(n.domain().toArray(), StandardCharsets.UTF_8));
    }

    /** BOLT 7's block x tx x output form of a short_channel_id. */
    public static String shortChannelId(long scid) {
        return (scid >>> 40) + "x" + ((scid >>> 16) & 0xffffff) + "x" + (scid & 0xffff);
    }

    /** A u64 (or tu64) field as an unsigned JSON number: 2^63 and up never print negative. */
    static void u64(ObjectNode o, String name, long value) {
        if (value >= 0) {
            o.put(name, value);
        } else {
            o.put(name, (BigInteger) U64.toNumber(value));
        }
    }

    /** Records no BOLT 12 namespace defines (kept byte for byte by the codec). */
    private static void unknown(ObjectNode o, String name, Bolt12Object object) {
        ArrayNode a = null;
        for (TlvRecord r : object.records().records()) {
            if (Bolt12Field.name(r.type()) == null && !Bolt12Field.isSignatureType(r.type())) {
                if (a == null) {
                    a = o.putArray(name);
                }
                a.addObject()
                        .put("type", new BigInteger(Long.toUnsignedString(r.type())))
                        .put("length", r.value().length())
                        .put("value", r.value().toHex());
            }
        }
    }
}
