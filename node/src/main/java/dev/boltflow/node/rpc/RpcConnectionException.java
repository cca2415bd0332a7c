package dev.boltflow.node.rpc;

/**
 * {@link JsonRpcClient} could not talk to the server: nothing listens on the socket, the
 * connection broke before the answer came, or the answer was not a JSON-RPC response.
 */
public final class RpcConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RpcConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    public RpcConnectionException(String message) {
        super(message);
    }
}
