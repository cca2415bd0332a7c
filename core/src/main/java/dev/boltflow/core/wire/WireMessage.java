package dev.boltflow.core.wire;

import static dev.boltflow.core.wire.WireChecks.requireOddOnly;
import static dev.boltflow.core.wire.WireChecks.requireU16;
import static dev.boltflow.core.wire.WireChecks.requireU16Length;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.features.Features;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Lightning message after decryption (BOLT 1, Lightning Message Format): the few this node
 * speaks, the BOLT 7 messages ({@link GossipMessage}), and {@link Unknown} for any other odd type. {@link WireCodec} turns them into bytes and
 * back. Each known message keeps its TLV {@code extension}; the extensions of these messages define
 * no even records, so only odd ones can be held (BOLT 1: a sender "MUST NOT send evenly-typed TLV
 * records in the extension without prior negotiation").
 */
public sealed interface WireMessage
        permits WireMessage.Init, WireMessage.Warning, WireMessage.Error, WireMessage.Ping,
        WireMessage.Pong, WireMessage.OnionMessage, WireMessage.Unknown, GossipMessage {

    int WARNING = 1;
    int INIT = 16;
    int ERROR = 17;
    int PING = 18;
    int PONG = 19;
    int ONION_MESSAGE = 513;

    /** The 2-byte message type. */
    int type();

    /** True for the types this interface models with their own record. */
    static boolean isKnownType(int type) {
        return type == WARNING || type == INIT || type == ERROR || type == PING || type == PONG
                || type == ONION_MESSAGE || GossipMessage.isGossipType(type);
    }

    /**
     * {@code init} (16), BOLT 1, The init Message. The two feature bitmaps are kept as sent;
     * {@link #combinedFeatures()} ORs them as the receiver MUST. {@code init_tlvs}: {@code networks}
     * (1) is present or absent (present may be an empty list), {@code remote_addr} (3) is kept raw,
     * and unknown odd records survive in {@code unknownTlvs}.
     */
    record Init(Bytes globalFeatures, Bytes features, Optional<List<Bytes32>> networks,
                Optional<Bytes> remoteAddr, TlvStream unknownTlvs) implements WireMessage {
        public static final long NETWORKS = 1;
        public static final long REMOTE_ADDR = 3;

        public Init {
            Objects.requireNonNull(globalFeatures, "globalFeatures");
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(networks, "networks");
            Objects.requireNonNull(remoteAddr, "remoteAddr");
            Objects.requireNonNull(unknownTlvs, "unknownTlvs");
            requireU16Length(globalFeatures, "globalfeatures");
            requireU16Length(features, "features");
            networks = networks.map(List::copyOf);
            for (TlvRecord r : unknownTlvs.records()) {
                if (r.type() == NETWORKS || r.type() == REMOTE_ADDR) {
                    throw new IllegalArgumentException("init TLV " + r.type() + " belongs in its own field");
                }
            }
            requireOddOnly(unknownTlvs, "init_tlvs");
        }

        /** An {@code init} with empty {@code globalfeatures}, these features and no TLVs. */
        public static Init of(Features features) {
            return new Init(Bytes.EMPTY, features.bitmap(), Optional.empty(), Optional.empty(), TlvStream.EMPTY);
        }

        public Init withNetworks(List<Bytes32> chains) {
            return new Init(globalFeatures, features, Optional.of(chains), remoteAddr, unknownTlvs);
        }

        public Init withRemoteAddr(Bytes addressDescriptor) {
            return new Init(globalFeatures, features, networks, Optional.of(addressDescriptor), unknownTlvs);
        }

        /** BOLT 1: "MUST combine (bitwise OR) the two feature bitmaps into one logical features map." */
        public Features combinedFeatures() {
            return new Features(globalFeatures).or(new Features(features));
        }

        @Override
        public int type() {
            return INIT;
        }
    }

    /** {@code warning} (1), BOLT 1, The error and warning Messages. */
    record Warning(Bytes32 channelId, Bytes data, TlvStream extension) implements WireMessage {
        public Warning {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(extension, "extension");
            requireU16Length(data, "data");
            requireOddOnly(extension, "warning extension");
        }

        public Warning(Bytes32 channelId, Bytes data) {
            this(channelId, data, TlvStream.EMPTY);
        }

        /** A warning not about a specific channel ({@code channel_id} all zero), with an ASCII text. */
        public static Warning of(String text) {
            return new Warning(Bytes32.ZERO, Bytes.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }

        public boolean isAllChannels() {
            return channelId.equals(Bytes32.ZERO);
        }

        /** {@code data} as text if it is all printable ASCII, else as hex (BOLT 1: "SHOULD NOT print out data verbatim"). */
        public String printableData() {
            return WireMessage.printable(data);
        }

        @Override
        public int type() {
            return WARNING;
        }
    }

    /** {@code error} (17), BOLT 1, The error and warning Messages. */
    record Error(Bytes32 channelId, Bytes data, TlvStream extension) implements WireMessage {
        public Error {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(extension, "extension");
            requireU16Length(data, "data");
            requireOddOnly(extension, "error extension");
        }

        public Error(Bytes32 channelId, Bytes data) {
            this(channelId, data, TlvStream.EMPTY);
        }

        /** An error about all channels ({@code channel_id} all zero), with an ASCII text. */
        public static Error of(String text) {
            return new Error(Bytes32.ZERO, Bytes.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }

        public boolean isAllChannels() {
            return channelId.equals(Bytes32.ZERO);
        }

        /** {@code data} as text if it is all printable ASCII, else as hex. */
        public String printableData() {
            return WireMessage.printable(data);
        }

        @Override
        public int type() {
            return ERROR;
        }
    }

    /**
     * {@code ping} (18), BOLT 1, The ping and pong Messages. Only the length of {@code ignored} is
     * kept: its content is meaningless, and it is written as zeros ("SHOULD set ignored to 0s").
     */
    record Ping(int numPongBytes, int ignoredLength, TlvStream extension) implements WireMessage {
        /** BOLT 1: a ping asking for this many pong bytes or more MUST be ignored. */
        public static final int NO_PONG_THRESHOLD = 65532;

        public Ping {
            requireU16(numPongBytes, "num_pong_bytes");
            requireU16(ignoredLength, "byteslen");
            Objects.requireNonNull(extension, "extension");
            requireOddOnly(extension, "ping extension");
        }

        public Ping(int numPongBytes, int ignoredLength) {
            this(numPongBytes, ignoredLength, TlvStream.EMPTY);
        }

        /** BOLT 1: respond only "if num_pong_bytes is less than 65532". */
        public boolean expectsPong() {
            return numPongBytes < NO_PONG_THRESHOLD;
        }

        /** The answer BOLT 1 requires: a pong with {@code byteslen = num_pong_bytes}. */
        public Pong pong() {
            if (!expectsPong()) {
                throw new IllegalStateException("a ping with num_pong_bytes " + numPongBytes + " must be ignored");
            }
            return new Pong(numPongBytes);
        }

        @Override
        public int type() {
            return PING;
        }
    }

    /** {@code pong} (19), BOLT 1. Like {@link Ping}, only the length of {@code ignored} is kept. */
    record Pong(int ignoredLength, TlvStream extension) implements WireMessage {
        public Pong {
            requireU16(ignoredLength, "byteslen");
            Objects.requireNonNull(extension, "extension");
            requireOddOnly(extension, "pong extension");
        }

        public Pong(int ignoredLength) {
            this(ignoredLength, TlvStream.EMPTY);
        }

        @Override
        public int type() {
            return PONG;
        }
    }

    /**
     * {@code onion_message} (513), BOLT 4, The onion_message Message: {@code path_key} and the raw
     * {@code onion_message_packet} (its layout is the onion layer's business).
     */
    record OnionMessage(PublicKey pathKey, Bytes onionMessagePacket, TlvStream extension) implements WireMessage {
        public OnionMessage {
            Objects.requireNonNull(pathKey, "pathKey");
            Objects.requireNonNull(onionMessagePacket, "onionMessagePacket");
            Objects.requireNonNull(extension, "extension");
            requireU16Length(onionMessagePacket, "onion_message_packet");
            requireOddOnly(extension, "onion_message extension");
        }

        public OnionMessage(PublicKey pathKey, Bytes onionMessagePacket) {
            this(pathKey, onionMessagePacket, TlvStream.EMPTY);
        }

        @Override
        public int type() {
            return ONION_MESSAGE;
        }

        /** The packet is not printed: onion payloads stay out of logs. */
        @Override
        public String toString() {
            return "OnionMessage[pathKey=" + pathKey + ", packet=" + onionMessagePacket.length()
                    + " bytes, extension=" + extension + "]";
        }
    }

    /**
     * A message of a type not modelled here, kept whole: everything after the type is
     * {@code payload}. {@link WireCodec#decode} only yields odd types (BOLT 1: "MUST ignore" them);
     * an even type may be built for sending after negotiation but is refused on decode.
     */
    record Unknown(int type, Bytes payload) implements WireMessage {
        public Unknown {
            requireU16(type, "type");
            if (isKnownType(type)) {
                throw new IllegalArgumentException("type " + type + " has its own record");
            }
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", " + payload.length() + " bytes]";
        }
    }

    private static String printable(Bytes data) {
        for (int i = 0; i < data.length(); i++) {
            int c = data.get(i) & 0xff;
            if (c < 32 || c > 126) {
                return "hex:" + data.toHex();
            }
        }
        return new String(data.toArray(), StandardCharsets.US_ASCII);
    }
}
