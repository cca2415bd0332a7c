package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.crypto.Secp256k1Providers;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.payer.Payer;
import dev.boltflow.core.sendinvoice.InvoiceListQuery;
import dev.boltflow.core.sendinvoice.InvoiceNotFoundException;
import dev.boltflow.core.sendinvoice.InvoiceStatus;
import dev.boltflow.core.sendinvoice.InvoiceStatusMismatchException;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import dev.boltflow.core.sendinvoice.SendInvoiceRequest;
import dev.boltflow.core.sendinvoice.SendInvoiceResult;
import dev.boltflow.core.sendinvoice.StoredInvoice;
import dev.boltflow.node.Node;
import dev.boltflow.node.config.PeerAddress;
import dev.boltflow.transport.PeerConnection;
import dev.boltflow.transport.TransportConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The JSON-RPC methods that need a running {@link Node}, with Core Lightning's names, parameters
 * and answers ({@code ../shared/cln-schemas}): {@code getinfo}, {@code connect},
 * {@code disconnect}, {@code listpeers}, {@code sendinvoice}, {@code listinvoices},
 * {@code waitinvoice}, {@code waitanyinvoice}, {@code delinvoice}, {@code invoicerequest},
 * {@code listinvoicerequests}, {@code disableinvoicerequest} and {@code stop}; {@code decode}
 * comes from {@link NodeRpcMethods}.
 */
public final class NodeRpc {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Core Lightning's codes for these commands. */
    static final int CONNECT_NO_ADDRESS = 400;
    static final int CONNECT_FAILED = 401;
    static final int INVOICE_EXPIRED = 903;
    static final int WAITANY_TIMEOUT = 904;
    static final int INVOICE_NOT_FOUND = 905;
    static final int STATUS_MISMATCH = 906;

    private final Node node;
    private final Clock clock;
    private final Runnable stop;
    private final String version;

    /** @param stop what {@code stop} triggers (the start command shuts the node down) */
    public NodeRpc(Node node, Clock clock, Runnable stop, String version) {
        this.node = node;
        this.clock = clock;
        this.stop = stop;
        this.version = version;
    }

    public RpcMethods methods() {
        RpcMethods.Builder b = new NodeRpcMethods(clock, reactor.core.scheduler.Schedulers.parallel()).builder();
        new GraphRpc(node.graph(), reactor.core.scheduler.Schedulers.parallel()).methods().forEach(b::add);
        return b
                .add(RpcMethod.of("getinfo", List.of(), p -> Mono.fromSupplier(this::getinfo))
                        .help(0, "utility", "Summary information about this node",
                                "getinfo: the node id, network, version (with the build's git commit), block height, "
                                        + "peers and where it listens."))
                .add(RpcMethod.of("connect", List.of("id", "host", "port"), this::connect)
                        .help(1, "network", "Connect to {id} at {host}:{port}",
                                "connect id [host] [port]: dial a peer over BOLT 8 (id@host:port works too) and "
                                        + "remember its address."))
                .add(RpcMethod.of("disconnect", List.of("id", "force"), this::disconnect)
                        .help(1, "network", "Disconnect from {id}", "disconnect id [force]: close the connection to a peer."))
                .add(RpcMethod.of("listpeers", List.of("id"), this::listpeers)
                        .help(0, "network", "Show the connected peers, or only {id}",
                                "listpeers [id]: every peer connected now, with its address and features."))
                .add(RpcMethod.of("sendinvoice", SENDINVOICE_PARAMS, this::sendinvoice)
                        .help(2, "payment", "Answer an invoice_request {invreq} with an invoice, and wait until it is paid",
                                "sendinvoice invreq label [amount_msat] [timeout] [quantity]: build, sign and store an "
                                        + "invoice for the lnr1 string, send it as an onion message, and wait for the "
                                        + "payment (status paid), an invoice_error (1004) or the timeout (1005, default "
                                        + "the node's --default-timeout). amount_msat takes 10000msat, 10sat, "
                                        + "0.0001btc or a plain number of msat."))
                .add(RpcMethod.of("listinvoices",
                        List.of("label", "invstring", "payment_hash", "offer_id", "index", "start", "limit"),
                        this::listinvoices)
                        .help(0, "payment", "Show our invoices, optionally one by {label}, {invstring}, {payment_hash} "
                                + "or {offer_id}", "listinvoices [label] [invstring] [payment_hash] [offer_id] [index] "
                                + "[start] [limit]: index=created|updated with start and limit pages through them."))
                .add(RpcMethod.of("waitinvoice", List.of("label"), this::waitinvoice)
                        .help(1, "payment", "Wait for an invoice to be paid or to expire",
                                "waitinvoice label: the invoice once paid; error 903 once it expired."))
                .add(RpcMethod.of("waitanyinvoice", List.of("lastpay_index", "timeout"), this::waitanyinvoice)
                        .help(0, "payment", "Wait for the next invoice paid after {lastpay_index}",
                                "waitanyinvoice [lastpay_index] [timeout]: error 904 when timeout seconds pass first."))
                .add(RpcMethod.of("delinvoice", List.of("label", "status", "desconly"), this::delinvoice)
                        .help(2, "payment", "Delete the invoice {label} if its status is {status}",
                                "delinvoice label status [desconly]: status is unpaid, paid or expired."))
                .add(RpcMethod.of("invoicerequest",
                        List.of("amount", "description", "issuer", "label", "absolute_expiry", "single_use", "unsigned"),
                        this::invoicerequest)
                        .help(2, "payment", "Write an invoice_request (lnr1) for someone to pay us {amount}",
                                "invoicerequest amount description [issuer] [label] [absolute_expiry] [single_use] "
                                        + "[unsigned]: amount takes 10000msat, 10sat, 0.0001btc or a plain number of msat; "
                                        + "an invoice that answers it is checked and paid over the payment link."))
                .add(RpcMethod.of("listinvoicerequests", List.of("invreq_id", "active_only"), this::listinvoicerequests)
                        .help(0, "payment", "Show the invoice_requests we wrote, with the last outcome of each",
                                "listinvoicerequests [invreq_id] [active_only]"))
                .add(RpcMethod.of("disableinvoicerequest", List.of("invreq_id"), this::disableinvoicerequest)
                        .help(1, "payment", "Stop paying invoices for the invoice_request {invreq_id}",
                                "disableinvoicerequest invreq_id"))
                .add(RpcMethod.of("stop", List.of(), p -> Mono.fromSupplier(() -> {
                    stop.run();
                    return (JsonNode) F.textNode("Shutdown complete");
                })).help(0, "utility", "Shut the node down",
                        "stop: ends sends still waiting (-1), closes peers and the store, removes the socket; the "
                                + "process exits 0 (as on SIGTERM or SIGINT)."))
                .build();
    }

    private JsonNode getinfo() {
        ObjectNode o = F.objectNode();
        String id = node.nodeId().toHex();
        o.put("id", id);
        o.put("alias", "boltflow-" + id.substring(2, 10));
        o.put("color", id.substring(2, 8));
        o.put("num_peers", node.peers().connections().size());
        o.put("num_pending_channels", 0);
        o.put("num_active_channels", 0);
        o.put("num_inactive_channels", 0);
        o.put("version", version);
        o.put("blockheight", node.blockHeight().current());
        o.put("network", node.config().network().cliName());
        o.put("fees_collected_msat", 0);
        o.put("lightning-dir", node.config().networkDir().toString());
        ObjectNode features = o.putObject("our_features");
        String init = TransportConfig.DEFAULT_FEATURES.toHex();
        features.put("init", init).put("node", init).put("channel", "").put("invoice", "");
        o.putArray("address");
        ArrayNode binding = o.putArray("binding");
        node.listening().ifPresent(a -> binding.add(address(a)));
        // boltflow's own fields, outside Core Lightning's schema, in one object.
        o.putObject("boltflow").put("secp256k1", Secp256k1Providers.current().name());
        return o;
    }

    private static ObjectNode address(InetSocketAddress a) {
        String host = a.getHostString();
        return F.objectNode().put("type", host.contains(":") ? "ipv6" : "ipv4").put("address", host).put("port", a.getPort());
    }

    /** connect {@code id@host:port}, or {@code id host port}. */
    private Mono<JsonNode> connect(RpcParams p) {
        PeerAddress peer;
        try {
            peer = PeerAddress.parse(p.string("id"));
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParam("id", e.getMessage());
        }
        Optional<String> host = peer.host().or(() -> p.optionalString("host"));
        int port = peer.host().isPresent() ? peer.port() : (int) p.optionalU32("port").orElse(PeerAddress.DEFAULT_PORT);
        Mono<PeerConnection> connecting = host.isPresent() ? node.connect(peer.nodeId(), host.get(), port)
                // No address given: one its node_announcement gave, or the address book's (Core Lightning looks in gossip).
                : node.connect(peer.nodeId()).onErrorMap(Node.NoAddressException.class,
                        e -> new RpcException(CONNECT_NO_ADDRESS, "Unable to connect, no address known for peer"));
        return connecting
                .onErrorMap(e -> !(e instanceof RpcException),
                        e -> new RpcException(CONNECT_FAILED, "Connection establishment: " + e.getMessage()))
                .map(c -> F.objectNode()
                        .put("id", c.remoteNodeId().toHex())
                        .put("features", c.remoteInit().combinedFeatures().toHex())
                        .put("direction", c.initiatedLocally() ? "out" : "in")
                        .set("address", address(c.remoteAddress())));
    }

    private static PublicKey nodeId(String param, String hex) {
        try {
            return PublicKey.fromHex(hex);
        } catch (DecodeException e) {
            throw RpcException.invalidParam(param, "should be a node id: " + e.getMessage());
        }
    }

    private Mono<JsonNode> disconnect(RpcParams p) {
        PublicKey id = nodeId("id", p.string("id"));
        if (node.peers().connection(id).isEmpty()) {
            return Mono.error(new RpcException(-1, "Unknown peer"));
        }
        return node.peers().disconnect(id).then(Mono.fromSupplier(F::objectNode));
    }

    private Mono<JsonNode> listpeers(RpcParams p) {
        Optional<PublicKey> only = p.optionalString("id").map(s -> nodeId("id", s));
        ArrayNode peers = F.arrayNode();
        for (PeerConnection c : node.peers().connections()) {
            if (only.isPresent() && !only.get().equals(c.remoteNodeId())) {
                continue;
            }
            ObjectNode peer = peers.addObject();
            peer.put("id", c.remoteNodeId().toHex());
            peer.put("connected", c.isActive());
            peer.put("num_channels", 0);
            InetSocketAddress a = c.remoteAddress();
            peer.putArray("netaddr").add(a.getHostString() + ":" + a.getPort());
            peer.put("features", c.remoteInit().combinedFeatures().toHex());
        }
        return Mono.just(F.objectNode().set("peers", peers));
    }

    private Mono<JsonNode> sendinvoice(RpcParams p) {
        SendInvoiceRequest r;
        try {
            r = sendInvoiceRequest(p, node.config().defaultTimeout());
        } catch (SendInvoiceException e) {
            return Mono.error(e);
        }
        return node.sendInvoice().send(r).map(NodeRpc::result);
    }

    /** sendinvoice's parameters, in Core Lightning's order. */
    public static final List<String> SENDINVOICE_PARAMS = List.of("invreq", "label", "amount_msat", "timeout", "quantity");

    /**
     * The sendinvoice parameters, checked for form before anything is decoded or signed: a bad one is
     * -32602 naming it ({@link RpcException} or {@link SendInvoiceException}), never -1.
     */
    public static SendInvoiceRequest sendInvoiceRequest(RpcParams p, Duration defaultTimeout) {
        return new SendInvoiceRequest(p.string("invreq"), p.label("label"), p.optionalMsat("amount_msat"),
                Duration.ofSeconds(p.optionalU32("timeout").orElse(defaultTimeout.toSeconds())),
                p.optionalU64("quantity"));
    }

    private static JsonNode result(SendInvoiceResult r) {
        return JSON.valueToTree(r.toMap());
    }

    /**
     * One entry of listinvoices (and the answer of waitinvoice, waitanyinvoice, delinvoice): the
     * sendinvoice answer's fields, with the description only when there is one, plus the request's
     * payer note and our offer id when present.
     */
    static ObjectNode invoice(StoredInvoice i) {
        ObjectNode o = JSON.valueToTree(SendInvoiceResult.of(i).toMap());
        if (i.description().isEmpty()) {
            o.remove("description");
        }
        i.localOfferId().ifPresent(id -> o.put("local_offer_id", id.toHex()));
        i.invreqPayerNote().ifPresent(n -> o.put("invreq_payer_note", n));
        return o;
    }

    private Mono<JsonNode> listinvoices(RpcParams p) {
        InvoiceListQuery q = InvoiceListQuery.all();
        if (p.has("label")) {
            q = InvoiceListQuery.byLabel(p.label("label"));
        } else if (p.has("invstring")) {
            q = InvoiceListQuery.byInvstring(p.string("invstring"));
        } else if (p.has("payment_hash")) {
            q = InvoiceListQuery.byPaymentHash(hash("payment_hash", p.string("payment_hash")));
        } else if (p.has("offer_id")) {
            q = InvoiceListQuery.byOfferId(hash("offer_id", p.string("offer_id")));
        }
        if (p.has("index")) {
            String index = p.string("index");
            InvoiceListQuery.ListIndex idx;
            if ("created".equals(index)) {
                idx = InvoiceListQuery.ListIndex.CREATED;
            } else if ("updated".equals(index)) {
                idx = InvoiceListQuery.ListIndex.UPDATED;
            } else {
                throw RpcException.invalidParam("index", "should be 'created' or 'updated'");
            }
            q = q.indexed(idx, p.optionalU64("start").orElse(0), p.optionalU32("limit"));
        }
        return node.store().list(q).map(NodeRpc::invoice).collectList()
                .map(list -> F.objectNode().set("invoices", F.arrayNode().addAll(list)));
    }

    private static Bytes32 hash(String param, String hex) {
        try {
            return Bytes32.fromHex(hex);
        } catch (DecodeException e) {
            throw RpcException.invalidParam(param, "should be a 32-byte hex string");
        }
    }

    private Mono<JsonNode> waitinvoice(RpcParams p) {
        String label = p.label("label");
        return node.store().awaitSettled(label)
                .switchIfEmpty(Mono.error(() -> new RpcException(-1, "Unknown invoice")))
                .flatMap(i -> i.status() == InvoiceStatus.EXPIRED
                        ? Mono.error(new RpcException(INVOICE_EXPIRED, "invoice expired during wait",
                                JSON.valueToTree(Map.of("label", label))))
                        : Mono.just((JsonNode) invoice(i)));
    }

    private Mono<JsonNode> waitanyinvoice(RpcParams p) {
        long after = p.optionalU64("lastpay_index").orElse(0);
        Mono<StoredInvoice> next = node.store().nextPaidAfter(after);
        OptionalLong timeout = p.optionalU64("timeout");
        if (timeout.isPresent()) {
            next = next.timeout(Duration.ofSeconds(timeout.getAsLong()),
                    Mono.error(() -> new RpcException(WAITANY_TIMEOUT, "Timed out")));
        }
        return next.map(i -> (JsonNode) invoice(i));
    }

    private Mono<JsonNode> delinvoice(RpcParams p) {
        String label = p.label("label");
        InvoiceStatus expected;
        try {
            expected = InvoiceStatus.fromWireName(p.string("status"));
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParam("status", "should be unpaid, paid or expired");
        }
        if (p.optionalBool("desconly").orElse(false)) {
            throw RpcException.invalidParam("desconly", "not supported: descriptions are part of the signed invoice");
        }
        return node.store().delete(label, expected)
                .map(i -> (JsonNode) invoice(i))
                .onErrorMap(InvoiceNotFoundException.class, e -> new RpcException(INVOICE_NOT_FOUND, "Unknown invoice"))
                .onErrorMap(InvoiceStatusMismatchException.class, e -> new RpcException(STATUS_MISMATCH,
                        "Invoice status is " + e.currentStatus().wireName() + " not " + expected.wireName(),
                        JSON.valueToTree(Map.of("current_status", e.currentStatus().wireName(),
                                "expected_status", expected.wireName()))));
    }

    private Mono<JsonNode> invoicerequest(RpcParams p) {
        Payer.Params params = new Payer.Params(p.msat("amount"), p.string("description"), p.optionalString("issuer"),
                p.optionalString("label"), p.optionalU64("absolute_expiry"), p.optionalBool("single_use").orElse(true),
                // boltflow's extension: unsigned=true writes it without a signature, as LDK's refunds are
                !p.optionalBool("unsigned").orElse(false));
        return node.payer().createInvoiceRequest(params).map(r -> JSON.valueToTree(r.toMap()));
    }

    private Mono<JsonNode> listinvoicerequests(RpcParams p) {
        Optional<Bytes32> id = p.optionalString("invreq_id").map(s -> hash("invreq_id", s));
        boolean activeOnly = p.optionalBool("active_only").orElse(false);
        Flux<JsonNode> all = node.payer().list(activeOnly)
                .filter(r -> id.isEmpty() || id.get().equals(r.invreqId()))
                .map(r -> JSON.valueToTree(r.toListEntry()));
        return all.collectList().map(list -> F.objectNode().set("invoicerequests", F.arrayNode().addAll(list)));
    }

    private Mono<JsonNode> disableinvoicerequest(RpcParams p) {
        Bytes32 id = hash("invreq_id", p.string("invreq_id"));
        return node.payer().disable(id)
                .switchIfEmpty(Mono.error(() -> new RpcException(-32602, "Unknown invoice_request",
                        JSON.valueToTree(Map.of("invreq_id", id.toHex())))))
                .map(r -> JSON.valueToTree(r.toMap()));
    }
}
