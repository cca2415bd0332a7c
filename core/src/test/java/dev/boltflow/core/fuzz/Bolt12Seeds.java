package dev.boltflow.core.fuzz;

import static dev.boltflow.core.bolt12.InvoiceFixtures.NODE;
import static dev.boltflow.core.bolt12.InvoiceFixtures.PAYER;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.core.bolt12.Bolt12ParseException;
import dev.boltflow.core.bolt12.Bolt12String;
import dev.boltflow.core.bolt12.InvoiceFixtures;
import dev.boltflow.core.bolt12.InvoiceRequest;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * BOLT 12 seeds: the strings of {@code bolt12/offers-test.json} and {@code format-string-test.json}
 * as they are, and {@code invoice_request}s and invoices grown from each offer of the vectors (its
 * records plus a payer's fields, signed and unsigned; the invoice answering it), so that the
 * fuzzer starts inside all three namespaces.
 */
final class Bolt12Seeds {
    private Bolt12Seeds() {
    }

    /** Every string of the two string vectors, valid or not. */
    static void strings(FuzzSeeds seeds) {
        int i = 0;
        for (JsonNode v : FuzzSeeds.vector("bolt12/format-string-test.json")) {
            seeds.addText("format-string " + i++, v.path("string").asText());
        }
        i = 0;
        for (JsonNode v : FuzzSeeds.vector("bolt12/offers-test.json")) {
            seeds.addText("offers-test " + i++ + " " + v.path("description").asText(), v.path("bolt12").asText());
        }
    }

    /** The TLV payloads of the offer vectors that are bech32-readable. */
    static List<TlvStream> offerStreams() {
        List<TlvStream> out = new ArrayList<>();
        for (JsonNode v : FuzzSeeds.vector("bolt12/offers-test.json")) {
            try {
                out.add(TlvStream.decode(Bolt12String.decode(v.path("bolt12").asText()).data().toArray()));
            } catch (Bolt12ParseException | dev.boltflow.core.tlv.TlvDecodeException e) {
                // an invalid-encoding vector: a string seed only
            }
        }
        return out;
    }

    /** Raw TLV payloads: offers, requests grown from them (signed or not), invoices answering those. */
    static void payloads(FuzzSeeds seeds) {
        List<TlvStream> offers = offerStreams();
        TlvStream plainRequest = InvoiceFixtures.request(5_000);
        seeds.add("invreq without offer, unsigned", plainRequest.encode());
        seeds.add("invreq without offer, signed", InvoiceFixtures.signRequest(plainRequest, PAYER).encode());
        SecureRandom random = new SecureRandom();
        int i = 0;
        for (TlvStream offer : offers) {
            seeds.add("offer " + i, offer.encode());
            List<TlvRecord> records = new ArrayList<>(offer.filter(t -> t < 80 && t != 22 && t != 16).records());
            TlvStream request = InvoiceFixtures.with(plainRequest, records.toArray(new TlvRecord[0]));
            TlvStream signed = InvoiceFixtures.signRequest(request, PAYER);
            seeds.add("invreq from offer " + i, signed.encode());
            TlvStream answered = InvoiceFixtures.signRequest(InvoiceFixtures.with(plainRequest,
                    offer.records().toArray(new TlvRecord[0])), PAYER);
            seeds.add("invreq answering offer " + i, answered.encode());
            try {
                InvoiceRequest r = InvoiceRequest.decode(signed.encode());
                seeds.add("invoice for offer " + i,
                        InvoiceFixtures.builder(r).build().sign(NODE, random).tlvBytes().toArray());
            } catch (RuntimeException e) {
                // a request the builder refuses (e.g. an offer with a currency): the request alone
            }
            i++;
        }
    }
}
