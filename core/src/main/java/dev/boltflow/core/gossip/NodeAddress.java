package dev.boltflow.core.gossip;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.sendinvoice.NetworkView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A BOLT 7 {@code address descriptor} of a {@code node_announcement}: IPv4 (1), IPv6 (2), Tor v3
 * (4) or a DNS host name (5). Type 3 (Tor v2) is skipped, as BOLT 7 says to ignore it.
 */
public record NodeAddress(int type, Bytes address, int port) {
    public static final int IPV4 = 1;
    public static final int IPV6 = 2;
    public static final int TOR_V2 = 3;
    public static final int TOR_V3 = 4;
    public static final int DNS = 5;

    public NodeAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must fit a u16: " + port);
        }
        int expected = type == IPV4 ? 4 : type == IPV6 ? 16 : type == TOR_V3 ? 35 : -1;
        if (type == DNS) {
            if (address.isEmpty() || address.length() > 255) {
                throw new IllegalArgumentException("a host name is 1 to 255 bytes");
            }
            for (int i = 0; i < address.length(); i++) {
                if ((address.get(i) & 0x80) != 0) {
                    throw new IllegalArgumentException("BOLT 7: hostname bytes MUST be ASCII");
                }
            }
        } else if (expected < 0 || address.length() != expected) {
            throw new IllegalArgumentException("address type " + type + " with " + address.length() + " bytes");
        }
    }

    public static NodeAddress ipv4(byte[] a, int port) {
        return new NodeAddress(IPV4, Bytes.of(a), port);
    }

    public static NodeAddress dns(String host, int port) {
        return new NodeAddress(DNS, Bytes.wrap(host.getBytes(StandardCharsets.US_ASCII)), port);
    }

    /** The descriptor for a literal IPv4 or IPv6 address, else a host name. */
    public static NodeAddress of(String host, int port) {
        if (host.matches("[0-9.]+") || host.indexOf(':') >= 0) {
            try {
                byte[] raw = InetAddress.getByName(host).getAddress(); // a literal: no lookup
                return new NodeAddress(raw.length == 4 ? IPV4 : IPV6, Bytes.of(raw), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + host, e);
            }
        }
        return dns(host, port);
    }

    /** BOLT 7 names: {@code ipv4}, {@code ipv6}, {@code torv3}, {@code dns} (Core Lightning's {@code listnodes} types). */
    public String typeName() {
        switch (type) {
            case IPV4:
                return "ipv4";
            case IPV6:
                return "ipv6";
            case TOR_V3:
                return "torv3";
            default:
                return "dns";
        }
    }

    /** The host as text: a dotted IPv4, an IPv6, {@code ….onion}, or the host name. */
    public String host() {
        switch (type) {
            case IPV4:
            case IPV6:
                try {
                    return InetAddress.getByAddress(address.toArray()).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            case TOR_V3:
                return base32(address.toArray()) + ".onion";
            default:
                return new String(address.toArray(), StandardCharsets.US_ASCII);
        }
    }

    /** As the port's {@link NetworkView.Address}, unless the port is 0 (BOLT 7: such an address is ignored). */
    public Optional<NetworkView.Address> toAddress() {
        return port == 0 ? Optional.empty() : Optional.of(new NetworkView.Address(host(), port));
    }

    public void writeTo(ByteWriter w) {
        w.u8(type);
        if (type == DNS) {
            w.u8(address.length());
        }
        w.bytes(address).u16(port);
    }

    public static Bytes encodeAll(List<NodeAddress> addresses) {
        ByteWriter w = new ByteWriter();
        addresses.forEach(a -> a.writeTo(w));
        return w.toBytes();
    }

    /**
     * The descriptors of {@code addresses}, in order. BOLT 7 (receiving node): reading stops at the
     * first unknown type ("SHOULD ignore the first address descriptor that does NOT match"; its
     * length is unknown, so what follows cannot be read); Tor v2 is skipped; a second host name is
     * ignored; a descriptor cut short is a {@link DecodeException} ("addrlen is insufficient").
     */
    public static List<NodeAddress> parseAll(Bytes addresses) {
        ByteReader r = new ByteReader(addresses.toArray());
        List<NodeAddress> out = new ArrayList<>();
        boolean dnsSeen = false;
        while (!r.isEmpty()) {
            int type = r.u8("address type");
            switch (type) {
                case IPV4:
                    out.add(new NodeAddress(IPV4, r.read(4, "ipv4_addr"), r.u16("port")));
                    break;
                case IPV6:
                    out.add(new NodeAddress(IPV6, r.read(16, "ipv6_addr"), r.u16("port")));
                    break;
                case TOR_V2:
                    r.skip(12, "Tor v2 address");
                    break;
                case TOR_V3:
                    out.add(new NodeAddress(TOR_V3, r.read(35, "onion_addr"), r.u16("port")));
                    break;
                case DNS: {
                    int len = r.u8("hostname_len");
                    Bytes host = r.read(len, "hostname");
                    int port = r.u16("port");
                    if (!dnsSeen) {
                        try {
                            out.add(new NodeAddress(DNS, host, port));
                        } catch (IllegalArgumentException e) {
                            throw new DecodeException("hostname: " + e.getMessage(), e);
                        }
                    }
                    dnsSeen = true;
                    break;
                }
                default:
                    return out;
            }
        }
        return out;
    }

    /** RFC 4648 base32, lower case, no padding (35 bytes give 56 characters). */
    private static String base32(byte[] data) {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return typeName() + ":" + host() + ":" + port;
    }
}
