package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boltflow.node.json.Bolt12Decoding;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The node's JSON-RPC methods, built from what they need. Today: {@code decode}. The node assembly
 * adds the methods that need its services ({@code sendinvoice}, {@code listinvoices}, …) to
 * {@link #builder()}, or grows this class's constructor with those services.
 */
public final class NodeRpcMethods {
    private final Clock clock;
    private final Scheduler cpu;

    /**
     * @param clock the time offers and invoices are checked at
     * @param cpu   where decoding and signature checks run (never the RPC's event loop)
     */
    public NodeRpcMethods(Clock clock, Scheduler cpu) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
    }

    /** Every method this class provides, ready for more. */
    public RpcMethods.Builder builder() {
        return RpcMethods.builder().add(decode());
    }

    /**
     * {@code decode string}: Core Lightning's answer for a BOLT 12 string ({@code decode.json}):
     * a string that decodes but breaks a rule Core Lightning has a {@code warning_*} for answers
     * {@code valid: false} with it; one that cannot be decoded, or breaks another rule, is -32602 on
     * {@code string}, as Core Lightning's {@code param_decodable}. Runs on {@code cpu}.
     */
    public RpcMethod decode() {
        return RpcMethod.of("decode", List.of("string"), params -> {
            String s = params.string("string");
            return Mono.fromSupplier(() -> {
                Bolt12Decoding.Outcome o = Bolt12Decoding.decode(s, clock.instant().getEpochSecond());
                if (o.error().isPresent()) {
                    throw RpcException.invalidParam("string", o.error().get());
                }
                return (JsonNode) o.json().orElseThrow();
            }).subscribeOn(cpu);
        }).help(1, "utility", "Decode {string}: a BOLT 12 offer (lno1), invoice_request (lnr1) or invoice (lni1)",
                "decode string: its fields with Core Lightning's names, valid, and warning_* for a rule it breaks.");
    }
}
