package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.node.json.Bolt12Decoding;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * The node's JSON-RPC methods, built from what they need. Today: {@code decode}. The node assembly
 * adds the methods that need its services ({@code sendinvoice}, {@code listinvoices}, …) to
 * {@link #builder()}, or grows this class's constructor with those services.
 */
public final class NodeRpcMethods {
    private final Clock clock;

    /** {@code clock} is the time offers and invoices are checked at (expiry warnings). */
    public NodeRpcMethods(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every method this class provides, ready for more. */
    public RpcMethods.Builder builder() {
        return RpcMethods.builder().add(decode());
    }

    /**
     * {@code decode string}: Core Lightning's answer for a BOLT 12 string ({@code decode.json}):
     * a string that decodes but breaks a rule answers {@code valid: false} with its reasons; one
     * that cannot be decoded is -32602 on {@code string}, as Core Lightning's {@code param_decodable}.
     */
    public RpcMethod decode() {
        return RpcMethod.of("decode", List.of("string"), params -> {
            String s = params.string("string");
            return Mono.fromSupplier(() -> {
                Bolt12Decoding.Outcome o = Bolt12Decoding.decode(s, clock.instant().getEpochSecond());
                if (o.failure().isPresent()) {
                    throw RpcException.invalidParam("string", o.failure().get().getMessage());
                }
                return (JsonNode) o.json();
            });
        });
    }
}
