package dev.boltflow.node.rpc;

import dev.boltflow.core.bolt12.ChainHashes;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import dev.boltflow.core.sendinvoice.InboundOnionMessage;
import dev.boltflow.core.sendinvoice.LocalNodeSigner;
import dev.boltflow.core.sendinvoice.OnionMessenger;
import dev.boltflow.core.sendinvoice.OnionMessengerException;
import dev.boltflow.core.sendinvoice.SendInvoice;
import dev.boltflow.core.sendinvoice.SendInvoiceConfig;
import dev.boltflow.core.sendinvoice.memory.InMemoryInvoiceStore;
import java.security.SecureRandom;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * The JSON-RPC server's request path without the socket, for the fuzz target in
 * {@code dev.boltflow.node.fuzz}: the server's own {@link RequestFramer} and {@link FramingGuard}
 * in an {@code EmbeddedChannel}, then, for each message they pass on, the server's private
 * {@code incoming} (parse), {@code Incoming.respond} (dispatch) and {@code encode} steps, called
 * reflectively so that no main code opens up for a test and the path fuzzed is the server's, not a
 * copy. Methods: the node's real {@code decode}, plus {@code params}, which reads one parameter of
 * each {@link RpcParams} type.
 */
public final class RpcRequestPath {
    /** Small, so that the fuzzer reaches the too-large path. */
    public static final int MAX_REQUEST_BYTES = 4096;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final Method INCOMING;
    private static final Method RESPOND;
    private static final Method ENCODE;

    static {
        try {
            INCOMING = JsonRpcServer.class.getDeclaredMethod("incoming", Object.class);
            INCOMING.setAccessible(true);
            RESPOND = INCOMING.getReturnType().getDeclaredMethod("respond", RpcDispatcher.class);
            RESPOND.setAccessible(true);
            ENCODE = JsonRpcServer.class.getDeclaredMethod("encode", ObjectNode.class);
            ENCODE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final RpcDispatcher dispatcher;

    public RpcRequestPath() {
        // As the node does at start: the provider (libsecp256k1 loaded from a file) picked here, not
        // by the first decode on the parallel scheduler.
        dev.boltflow.core.crypto.Secp256k1Providers.current();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        RpcMethod params = RpcMethod.of("params", List.of("s", "n", "t", "amount", "flag"), p -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            p.optionalString("s").ifPresent(v -> o.put("s", v));
            p.optionalU64("n").ifPresent(v -> o.put("n", Long.toUnsignedString(v)));
            p.optionalU32("t").ifPresent(v -> o.put("t", v));
            p.optionalMsat("amount").ifPresent(v -> o.put("amount", v));
            if (p.has("flag")) {
                o.put("flag", p.bool("flag"));
            }
            return Mono.just((JsonNode) o);
        });
        // sendinvoice as the node runs it (parameters, the request's reader rules, build, sign, store),
        // over a messenger that reaches every destination and can send to none: the send ends 1003.
        SendInvoice service = new SendInvoice(SendInvoiceConfig.defaults(ChainHashes.REGTEST), new InMemoryInvoiceStore(),
                new OnionMessenger() {
                    @Override
                    public Mono<Void> send(OnionMessages.Destination d, OnionMessagePayload payload) {
                        return Mono.error(new OnionMessengerException(OnionMessengerException.Reason.NO_ROUTE, "fuzz"));
                    }

                    @Override
                    public Flux<InboundOnionMessage> inbound() {
                        return Flux.never();
                    }
                }, new LocalNodeSigner(PrivateKey.random(RANDOM), RANDOM), () -> 800_000, clock,
                Schedulers.immediate(), Schedulers.immediate(), RANDOM);
        RpcMethod sendinvoice = RpcMethod.of("sendinvoice", NodeRpc.SENDINVOICE_PARAMS,
                p -> service.send(NodeRpc.sendInvoiceRequest(p, Duration.ofSeconds(90)))
                        .map(r -> (JsonNode) JsonNodeFactory.instance.objectNode().put("label", r.label())));
        this.dispatcher = new RpcDispatcher(new NodeRpcMethods(clock, reactor.core.scheduler.Schedulers.parallel()).builder()
                .add(params).add(sendinvoice).build());
    }

    /** A channel with the server's framing handlers; each message they pass on goes to {@code sink}. */
    public EmbeddedChannel channel(Consumer<Object> sink) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new RequestFramer(MAX_REQUEST_BYTES), new FramingGuard(MAX_REQUEST_BYTES),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        sink.accept(msg);
                    }
                });
        return ch;
    }

    /**
     * What the server writes for one framed message, or nothing (the end of the requests), and
     * whether it is the connection's last. Releases {@code message}, as reactor-netty does after
     * the server's {@code onNext}.
     */
    public Answer answer(Object message) {
        Object incoming;
        try {
            incoming = invoke(INCOMING, null, message);
        } finally {
            if (message instanceof ByteBuf b && b.refCnt() > 0) {
                ReferenceCountUtil.release(b);
            }
        }
        boolean last = (boolean) invoke(accessor(incoming, "last"), incoming);
        @SuppressWarnings("unchecked")
        Mono<ObjectNode> response = (Mono<ObjectNode>) invoke(RESPOND, incoming, dispatcher);
        ObjectNode json = response.block(ANSWER_TIMEOUT);
        List<byte[]> out = new ArrayList<>();
        if (json != null) {
            out.add((byte[]) invoke(ENCODE, null, json));
        }
        return new Answer(json, out.isEmpty() ? null : out.get(0), last);
    }

    /** The response object and its bytes on the wire (both null: nothing written), and {@code last}. */
    public record Answer(ObjectNode json, byte[] wire, boolean last) {
    }

    private static Method accessor(Object record, String name) {
        try {
            Method m = record.getClass().getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
