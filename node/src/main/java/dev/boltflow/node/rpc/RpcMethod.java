package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * One JSON-RPC method: its name, its parameter names in positional order (Core Lightning's
 * {@code p_req}/{@code p_opt} order, which is the order of the schema's {@code request.properties}),
 * the handler, and what {@code help} says of it. The handler answers with the {@code result} member,
 * or fails with an {@link RpcException} or a {@link dev.boltflow.core.sendinvoice.SendInvoiceException};
 * any other failure becomes a -1 error.
 *
 * <p>A method made with {@link #of} is listed by {@code help} with every parameter optional and no
 * description; {@link #help(int, String, String, String)} says which come first as required (Core
 * Lightning's required parameters always precede the optional ones) and what it does.
 */
public record RpcMethod(String name, List<String> params, Handler handler, Help help) {
    /** Answers one call. May throw instead of returning a failed Mono: both are handled alike. */
    @FunctionalInterface
    public interface Handler {
        Mono<JsonNode> handle(RpcParams params);
    }

    /**
     * What {@code help} shows (Core Lightning's fields).
     *
     * @param required    how many of the parameters, from the first, are required
     * @param category    Core Lightning's grouping ({@code network}, {@code payment}, {@code utility}, …)
     * @param description one line
     * @param verbose     the full text ({@code help COMMAND}); the description when empty
     */
    public record Help(int required, String category, String description, String verbose) {
        public Help {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(verbose, "verbose");
            if (required < 0) {
                throw new IllegalArgumentException("required < 0");
            }
        }

        /** Nothing said: every parameter optional, no description. */
        public static final Help NONE = new Help(0, "boltflow", "", "");
    }

    public RpcMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(help, "help");
        params = List.copyOf(params);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty method name");
        }
        if (new HashSet<>(params).size() != params.size()) {
            throw new IllegalArgumentException(name + ": duplicate parameter names " + params);
        }
        if (help.required() > params.size()) {
            throw new IllegalArgumentException(name + ": " + help.required() + " required of " + params.size() + " parameters");
        }
    }

    public RpcMethod(String name, List<String> params, Handler handler) {
        this(name, params, handler, Help.NONE);
    }

    public static RpcMethod of(String name, List<String> params, Handler handler) {
        return new RpcMethod(name, params, handler);
    }

    /** This method with what {@code help} says of it. */
    public RpcMethod help(int required, String category, String description, String verbose) {
        return new RpcMethod(name, params, handler, new Help(required, category, description, verbose));
    }

    /** {@code connect id [host] [port]}: the name, then required parameters bare and optional ones bracketed. */
    public String synopsis() {
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < params.size(); i++) {
            sb.append(' ').append(i < help.required() ? params.get(i) : "[" + params.get(i) + "]");
        }
        return sb.toString();
    }
}
