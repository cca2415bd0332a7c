package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.onion.OnionMessagePayload;
import dev.boltflow.core.onion.OnionMessages;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Outbound port: sends onion messages for us and hands us those delivered to us. The adapter owns
 * the node key (it builds and peels the Sphinx layers), picks a route through peers that advertise
 * {@code option_onion_messages}, or connects straight to the first hop unless told not to.
 */
public interface OnionMessenger {

    /**
     * Sends {@code payload} to {@code destination}. Completes once the message is written to the
     * first hop (delivery is never confirmed: onion messages have no acknowledgements); fails with
     * {@link OnionMessengerException} when no route or connection to the first hop can be had.
     */
    Mono<Void> send(OnionMessages.Destination destination, OnionMessagePayload payload);

    /**
     * Makes the first hop towards {@code destination} ready without sending anything: a live
     * connection or a known route is there already, or a connection is dialled now. A
     * {@link #send} to it right after needs no dial. Fails as {@code send} would when there is no way
     * there. By default there is nothing to prepare: {@code send} finds its way by itself.
     */
    default Mono<Void> reach(OnionMessages.Destination destination) {
        return Mono.empty();
    }

    /** Messages whose final hop is us, with the {@code path_id} of the blinded path they came on. */
    Flux<InboundOnionMessage> inbound();
}
