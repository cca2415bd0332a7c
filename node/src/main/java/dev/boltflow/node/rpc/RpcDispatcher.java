package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boltflow.core.sendinvoice.InvoiceStoreException;
import dev.boltflow.core.sendinvoice.SendInvoiceException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Turns one parsed request into its response object. Never fails: every problem becomes an error
 * response. Follows Core Lightning's {@code lightningd/jsonrpc.c}: an {@code id} (string or number)
 * is required, so there are no notifications; a missing {@code jsonrpc} is accepted, a present one
 * must be {@code "2.0"}; missing {@code params} means none.
 */
final class RpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RpcMethods methods;

    RpcDispatcher(RpcMethods methods) {
        this.methods = Objects.requireNonNull(methods, "methods");
    }

    Mono<ObjectNode> respond(JsonNode request) {
        if (!request.isObject()) {
            return Mono.just(error(NullNode.instance, RpcException.invalidRequest(
                    "request must be a JSON object (batches are not supported)")));
        }
        JsonNode id = request.get("id");
        if (id == null || id.isNull()) {
            return Mono.just(error(NullNode.instance, RpcException.invalidRequest("No id")));
        }
        if (!id.isTextual() && !id.isNumber()) {
            return Mono.just(error(NullNode.instance, RpcException.invalidRequest("id must be a string or a number")));
        }
        JsonNode version = request.get("jsonrpc");
        if (version != null && !(version.isTextual() && version.textValue().equals("2.0"))) {
            return Mono.just(error(id, RpcException.invalidRequest("jsonrpc must be \"2.0\"")));
        }
        JsonNode name = request.get("method");
        if (name == null || name.isNull()) {
            return Mono.just(error(id, RpcException.invalidRequest("No method")));
        }
        if (!name.isTextual()) {
            return Mono.just(error(id, RpcException.invalidRequest("method must be a string")));
        }
        RpcMethod method = methods.find(name.textValue()).orElse(null);
        if (method == null) {
            return Mono.just(error(id, RpcException.methodNotFound(name.textValue())));
        }
        return Mono.defer(() -> method.handler().handle(RpcParams.of(method.params(), request.get("params"))))
                .map(result -> result(id, result))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    log.error("RPC method '{}' answered nothing", method.name());
                    return error(id, new RpcException(RpcException.CATCH_ALL,
                            "internal error: '" + method.name() + "' gave no result"));
                }))
                .onErrorResume(e -> Mono.just(error(id, toRpcError(method.name(), e))));
    }

    /** The error object for any failure of a method. */
    static RpcException toRpcError(String method, Throwable failure) {
        Throwable e = Exceptions.unwrap(failure);
        if (e instanceof RpcException rpc) {
            return rpc;
        }
        if (e instanceof SendInvoiceException s) {
            JsonNode data = s.data().map(d -> JSON.<JsonNode>valueToTree(d.toMap())).orElse(null);
            return new RpcException(s.code(), s.getMessage(), data);
        }
        if (e instanceof InvoiceStoreException store) {
            // The store's own message says what failed (it never carries a preimage): the client
            // gets it, and the log one line per failed call rather than a stack trace each time.
            log.warn("RPC method '{}': {}", method, store.getMessage());
            return new RpcException(RpcException.CATCH_ALL, store.getMessage());
        }
        // Never a stack trace (or an exception message, which might carry anything) to the client.
        log.error("RPC method '{}' failed unexpectedly", method, e);
        return new RpcException(RpcException.CATCH_ALL,
                "internal error in '" + method + "' (" + e.getClass().getSimpleName() + "); see the node's log");
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", result == null ? NullNode.instance : result);
        return o;
    }

    static ObjectNode error(JsonNode id, RpcException e) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("error", e.toJson());
        return o;
    }
}
