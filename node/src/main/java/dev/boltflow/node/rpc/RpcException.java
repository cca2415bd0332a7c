package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON-RPC error as Core Lightning returns it: {@code code}, {@code message} and an optional
 * {@code data}. Method handlers throw (or emit) it to answer with that error; {@link JsonRpcClient}
 * fails with it when the server answers with an error.
 */
public final class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** JSON-RPC 2.0: the bytes are not JSON, or the stream cannot be framed into requests. */
    public static final int PARSE_ERROR = -32700;
    /** JSON-RPC 2.0: not a request object (no id, no method, wrong jsonrpc, too large). */
    public static final int INVALID_REQUEST = -32600;
    /** JSON-RPC 2.0: no method of that name. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC 2.0: a parameter is missing, unknown or of the wrong type. */
    public static final int INVALID_PARAMS = -32602;
    /** Core Lightning's catch-all ({@code LIGHTNINGD}): anything unexpected. */
    public static final int CATCH_ALL = -1;

    private static final int MAX_TOKEN_CHARS = 64;

    private final int code;
    private final transient JsonNode data;

    /** An error with {@code code}, {@code message} and, when not null, {@code data}. */
    public RpcException(int code, String message, JsonNode data) {
        super(Objects.requireNonNull(message, "message"));
        this.code = code;
        this.data = data == null || data.isNull() || data.isMissingNode() ? null : data.deepCopy();
    }

    public RpcException(int code, String message) {
        this(code, message, null);
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The error's {@code data} member, when there is one (a copy). */
    public Optional<JsonNode> data() {
        return Optional.ofNullable(data).map(JsonNode::deepCopy);
    }

    /** The error object: {@code {"code": …, "message": …, "data": …}}. */
    public ObjectNode toJson() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", code);
        error.put("message", getMessage());
        if (data != null) {
            error.set("data", data.deepCopy());
        }
        return error;
    }

    static RpcException parseError(String detail) {
        return new RpcException(PARSE_ERROR, "Parse error: " + detail);
    }

    static RpcException invalidRequest(String detail) {
        return new RpcException(INVALID_REQUEST, detail);
    }

    static RpcException methodNotFound(String method) {
        return new RpcException(METHOD_NOT_FOUND, "Unknown command '" + truncate(method) + "'");
    }

    /**
     * -32602 about parameter {@code param}, worded as Core Lightning words it
     * ({@code "<param>: <problem>"}); {@code data} is {@code {"param": "<param>"}}.
     */
    public static RpcException invalidParam(String param, String problem) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("param", param);
        return new RpcException(INVALID_PARAMS, param + ": " + problem, data);
    }

    /** -32602 as Core Lightning words it: {@code "missing required parameter: <param>"}. */
    static RpcException missingParam(String param) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("param", param);
        return new RpcException(INVALID_PARAMS, "missing required parameter: " + param, data);
    }

    /** -32602 about the params as a whole (too many, not an array or object, unknown name). */
    static RpcException invalidParams(String problem) {
        return new RpcException(INVALID_PARAMS, problem);
    }

    /** A JSON value shortened for an error message (Core Lightning quotes the "invalid token"). */
    static String token(JsonNode value) {
        return truncate(value.toString());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_TOKEN_CHARS ? s : s.substring(0, MAX_TOKEN_CHARS) + "...";
    }

    @Override
    public String toString() {
        return "RpcException[" + code + ": " + getMessage() + "]";
    }
}
