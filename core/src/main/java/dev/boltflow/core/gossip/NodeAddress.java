package dev.boltflow.core.gossip;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.sendinvoice.NetworkView;
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

    /** The descriptor for a literal IPv4 ({@code 192.0.2.1}) or IPv6 ({@code 2001:db8::1}) address, else a host name. */
    public static NodeAddress of(String host, int port) {
        if (host.indexOf(':') >= 0) {
            return new NodeAddress(IPV6, Bytes.wrap(ipv6(host)), port);
        }
        if (host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            String[] parts = host.split("\\.");
            byte[] raw = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + host);
                }
                raw[i] = (byte) v;
            }
            return new NodeAddress(IPV4, Bytes.wrap(raw), port);
        }
        return dns(host, port);
    }

    /** The 16 bytes of an IPv6 literal (hex groups, one {@code ::} at most, no zone). */
    private static byte[] ipv6(String text) {
        String[] halves = text.split("::", -1);
        if (halves.length > 2) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        List<Integer> head = groups(halves[0], text);
        List<Integer> tail = halves.length == 2 ? groups(halves[1], text) : List.of();
        int missing = 8 - head.size() - tail.size();
        if ((halves.length == 1 && missing != 0) || (halves.length == 2 && missing < 1)) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        byte[] out = new byte[16];
        int at = 0;
        for (int g : head) {
            out[at++] = (byte) (g >>> 8);
            out[at++] = (byte) g;
        }
        at += 2 * missing;
        for (int g : tail) {
            out[at++] = (byte) (g >>> 8);
            out[at++] = (byte) g;
        }
        return out;
    }

    private static List<Integer> groups(String part, String text) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        for (String g : part.split(":", -1)) {
            if (!g.matches("[0-9a-fA-F]{1,4}")) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
            out.add(Integer.parseInt(g, 16));
        }
        return out;
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
                return (address.get(0) & 0xff) + "." + (address.get(1) & 0xff) + "." + (address.get(2) & 0xff) + "."
                        + (address.get(3) & 0xff);
            case IPV6:
                return ipv6Text(address.toArray());
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

    /** RFC 5952 text: lower-case hex groups without leading zeros, the longest run of two or more zero groups as {@code ::}. */
    private static String ipv6Text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
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
