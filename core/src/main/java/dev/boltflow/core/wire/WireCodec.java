package dev.boltflow.core.wire;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.tlv.TlvDecodeException;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import dev.boltflow.core.wire.WireDecodeException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * BOLT 1 Lightning Message Format: {@code u16 type ‖ payload ‖ optional TLV extension}. Stateless.
 *
 * <p>Decoding rules (BOLT 1, "A receiving node"): an unknown odd type becomes
 * {@link WireMessage.Unknown}; an unknown even type, a known message too short for its fields and
 * an invalid extension throw {@link WireDecodeException} with {@code mustCloseConnection()}.
 * Nothing else escapes: for any input, {@link #decode} returns a message or throws that exception.
 */
public final class WireCodec {
    /** The largest Lightning message (BOLT 1: it must fit the transport's 2-byte length). */
    public static final int MAX_MESSAGE_LENGTH = 65535;

    private WireCodec() {
    }

    public static WireMessage decode(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length < 2) {
            throw new WireDecodeException(Kind.TRUNCATED, -1, "a message needs a 2-byte type, got " + message.length + " bytes");
        }
        ByteReader in = new ByteReader(message);
        int type = in.u16("type");
        switch (type) {
            case WireMessage.INIT:
                return decodeInit(in);
            case WireMessage.WARNING: {
                Bytes32 channelId = channelId(in, type);
                Bytes data = lengthPrefixed(in, type, "data");
                return new WireMessage.Warning(channelId, data, extension(in, type));
            }
            case WireMessage.ERROR: {
                Bytes32 channelId = channelId(in, type);
                Bytes data = lengthPrefixed(in, type, "data");
                return new WireMessage.Error(channelId, data, extension(in, type));
            }
            case WireMessage.PING: {
                int numPongBytes = field(in, type, () -> in.u16("num_pong_bytes"));
                int ignored = lengthPrefixed(in, type, "ignored").length();
                return new WireMessage.Ping(numPongBytes, ignored, extension(in, type));
            }
            case WireMessage.PONG: {
                int ignored = lengthPrefixed(in, type, "ignored").length();
                return new WireMessage.Pong(ignored, extension(in, type));
            }
            case WireMessage.ONION_MESSAGE:
                return decodeOnionMessage(in);
            default:
                if (GossipMessage.isGossipType(type)) {
                    return GossipCodec.decode(type, in);
                }
                if ((type & 1) == 0) {
                    // BOLT 1: "upon receiving a message of even, unknown type: MUST close the connection."
                    throw new WireDecodeException(Kind.UNKNOWN_EVEN_TYPE, type, "unknown even message type " + type);
                }
                // BOLT 1: "upon receiving a message of odd, unknown type: MUST ignore the received message."
                return new WireMessage.Unknown(type, Bytes.wrap(in.rest()));
        }
    }

    public static byte[] encode(WireMessage message) {
        Objects.requireNonNull(message, "message");
        ByteWriter w = new ByteWriter();
        w.u16(message.type());
        switch (message.type()) {
            case WireMessage.INIT: {
                WireMessage.Init m = (WireMessage.Init) message;
                w.u16(m.globalFeatures().length()).bytes(m.globalFeatures());
                w.u16(m.features().length()).bytes(m.features());
                initTlvs(m).writeTo(w);
                break;
            }
            case WireMessage.WARNING: {
                WireMessage.Warning m = (WireMessage.Warning) message;
                w.bytes(m.channelId().bytes()).u16(m.data().length()).bytes(m.data());
                m.extension().writeTo(w);
                break;
            }
            case WireMessage.ERROR: {
                WireMessage.Error m = (WireMessage.Error) message;
                w.bytes(m.channelId().bytes()).u16(m.data().length()).bytes(m.data());
                m.extension().writeTo(w);
                break;
            }
            case WireMessage.PING: {
                WireMessage.Ping m = (WireMessage.Ping) message;
                // BOLT 1: the sender "SHOULD set ignored to 0s".
                w.u16(m.numPongBytes()).u16(m.ignoredLength()).bytes(new byte[m.ignoredLength()]);
                m.extension().writeTo(w);
                break;
            }
            case WireMessage.PONG: {
                WireMessage.Pong m = (WireMessage.Pong) message;
                w.u16(m.ignoredLength()).bytes(new byte[m.ignoredLength()]);
                m.extension().writeTo(w);
                break;
            }
            case WireMessage.ONION_MESSAGE: {
                WireMessage.OnionMessage m = (WireMessage.OnionMessage) message;
                w.bytes(m.pathKey().bytes()).u16(m.onionMessagePacket().length()).bytes(m.onionMessagePacket());
                m.extension().writeTo(w);
                break;
            }
            default:
                if (message instanceof GossipMessage) {
                    GossipCodec.encode((GossipMessage) message, w);
                    break;
                }
                // Every other type is an Unknown (its compact constructor refuses the known types).
                w.bytes(((WireMessage.Unknown) message).payload());
                break;
        }
        if (w.size() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("encoded message type " + message.type() + " is " + w.size()
                    + " bytes, more than " + MAX_MESSAGE_LENGTH);
        }
        return w.toByteArray();
    }

    private static WireMessage.Init decodeInit(ByteReader in) {
        int type = WireMessage.INIT;
        Bytes global = lengthPrefixed(in, type, "globalfeatures");
        Bytes features = lengthPrefixed(in, type, "features");
        TlvStream tlvs = extension(in, type, t -> t == WireMessage.Init.NETWORKS || t == WireMessage.Init.REMOTE_ADDR);
        Optional<List<Bytes32>> networks = tlvs.value(WireMessage.Init.NETWORKS).map(WireCodec::chains);
        Optional<Bytes> remoteAddr = tlvs.value(WireMessage.Init.REMOTE_ADDR);
        TlvStream unknown = tlvs.filter(t -> t != WireMessage.Init.NETWORKS && t != WireMessage.Init.REMOTE_ADDR);
        return new WireMessage.Init(global, features, networks, remoteAddr, unknown);
    }

    /** {@code networks}: {@code ...*chain_hash}, so a whole number of 32-byte hashes. */
    private static List<Bytes32> chains(Bytes value) {
        if (value.length() % Bytes32.LENGTH != 0) {
            throw new WireDecodeException(Kind.INVALID_EXTENSION, WireMessage.INIT,
                    "init networks of " + value.length() + " bytes is not a list of 32-byte chain hashes");
        }
        List<Bytes32> out = new ArrayList<>();
        for (int i = 0; i < value.length(); i += Bytes32.LENGTH) {
            out.add(new Bytes32(value.slice(i, i + Bytes32.LENGTH)));
        }
        return out;
    }

    private static TlvStream initTlvs(WireMessage.Init m) {
        List<TlvRecord> known = new ArrayList<>(2);
        m.networks().ifPresent(chains -> {
            ByteWriter v = new ByteWriter();
            for (Bytes32 c : chains) {
                v.bytes(c.bytes());
            }
            known.add(new TlvRecord(WireMessage.Init.NETWORKS, v.toBytes()));
        });
        m.remoteAddr().ifPresent(a -> known.add(new TlvRecord(WireMessage.Init.REMOTE_ADDR, a)));
        return known.isEmpty() ? m.unknownTlvs() : m.unknownTlvs().with(known);
    }

    private static WireMessage.OnionMessage decodeOnionMessage(ByteReader in) {
        int type = WireMessage.ONION_MESSAGE;
        Bytes point = field(in, type, () -> in.read(PublicKey.LENGTH, "path_key"));
        Bytes packet = lengthPrefixed(in, type, "onion_message_packet");
        TlvStream extension = extension(in, type);
        PublicKey pathKey;
        try {
            pathKey = PublicKey.fromBytes(point);
        } catch (DecodeException e) {
            throw new WireDecodeException(Kind.INVALID_FIELD, type, "path_key is not a valid point", e);
        }
        return new WireMessage.OnionMessage(pathKey, packet, extension);
    }

    private static Bytes32 channelId(ByteReader in, int type) {
        return new Bytes32(field(in, type, () -> in.read(Bytes32.LENGTH, "channel_id")));
    }

    /** {@code u16 len ‖ len*byte}. */
    static Bytes lengthPrefixed(ByteReader in, int type, String what) {
        return field(in, type, () -> in.read(in.u16(what + " length"), what));
    }

    /** A fixed field; running out of bytes is BOLT 1's "insufficient length for the contents". */
    static <T> T field(ByteReader in, int type, Supplier<T> read) {
        try {
            return read.get();
        } catch (DecodeException e) {
            throw new WireDecodeException(Kind.TRUNCATED, type, e.getMessage(), e);
        }
    }

    /** The rest as an extension in which no even type is known. */
    static TlvStream extension(ByteReader in, int type) {
        return extension(in, type, t -> false);
    }

    private static TlvStream extension(ByteReader in, int type, LongPredicate known) {
        try {
            TlvStream tlvs = TlvStream.decode(in);
            tlvs.requireKnownEven(known);
            return tlvs;
        } catch (TlvDecodeException e) {
            // BOLT 1: "if the extension is invalid: MUST close the connection."
            throw new WireDecodeException(Kind.INVALID_EXTENSION, type, e.getMessage(), e);
        }
    }
}
