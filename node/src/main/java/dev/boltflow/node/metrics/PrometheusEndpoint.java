package dev.boltflow.node.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * Prometheus text exposition of a {@link PrometheusMeterRegistry} over HTTP (reactor-netty's
 * server): {@code GET /metrics} (and {@code GET /}) answers {@code text/plain; version=0.0.4};
 * anything else is 404. Its own single event-loop thread, disposed with it; the text is rendered
 * off the event loop. Off unless the node is started with {@code --metrics-listen HOST:PORT}.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final DisposableServer server;
    private final LoopResources loops;

    private PrometheusEndpoint(DisposableServer server, LoopResources loops) {
        this.server = server;
        this.loops = loops;
    }

    /** Listens on {@code address} (port 0 picks a free one); emits once bound. */
    public static Mono<PrometheusEndpoint> start(InetSocketAddress address, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(registry, "registry");
        return Mono.defer(() -> {
            LoopResources loops = LoopResources.create("boltflow-metrics", 1, 1, true);
            return HttpServer.create()
                    .runOn(loops)
                    .bindAddress(() -> address)
                    .route(routes -> routes
                            .get("/metrics", (req, res) -> scrape(registry, res))
                            .get("/", (req, res) -> scrape(registry, res)))
                    .bind()
                    .map(s -> new PrometheusEndpoint(s, loops))
                    .onErrorResume(e -> loops.disposeLater().then(Mono.error(e)));
        });
    }

    private static org.reactivestreams.Publisher<Void> scrape(PrometheusMeterRegistry registry,
            reactor.netty.http.server.HttpServerResponse res) {
        return res.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .sendString(Mono.fromCallable(registry::scrape).subscribeOn(Schedulers.boundedElastic()));
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater().block(Duration.ofSeconds(5));
    }
}
