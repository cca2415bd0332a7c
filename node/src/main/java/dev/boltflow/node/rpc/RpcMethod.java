package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * One JSON-RPC method: its name, its parameter names in positional order (Core Lightning's
 * {@code p_req}/{@code p_opt} order, which is the order of the schema's {@code request.properties}),
 * and the handler. The handler answers with the {@code result} member, or fails with an
 * {@link RpcException} or a {@link dev.boltflow.core.sendinvoice.SendInvoiceException}; any other
 * failure becomes a -1 error.
 */
public record RpcMethod(String name, List<String> params, Handler handler) {
    /** Answers one call. May throw instead of returning a failed Mono: both are handled alike. */
    @FunctionalInterface
    public interface Handler {
        Mono<JsonNode> handle(RpcParams params);
    }

    public RpcMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        params = List.copyOf(params);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty method name");
        }
        if (new HashSet<>(params).size() != params.size()) {
            throw new IllegalArgumentException(name + ": duplicate parameter names " + params);
        }
    }

    public static RpcMethod of(String name, List<String> params, Handler handler) {
        return new RpcMethod(name, params, handler);
    }
}
