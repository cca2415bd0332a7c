package dev.boltflow.core.sendinvoice;

/** An invoice's {@code status} as Core Lightning's listinvoices reports it. */
public enum InvoiceStatus {
    UNPAID("unpaid"),
    PAID("paid"),
    EXPIRED("expired");

    private final String wireName;

    InvoiceStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON-RPC spelling: {@code unpaid}, {@code paid} or {@code expired}. */
    public String wireName() {
        return wireName;
    }

    /** The status spelled {@code name}, or an {@link IllegalArgumentException} naming the valid ones. */
    public static InvoiceStatus fromWireName(String name) {
        for (InvoiceStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("invoice status must be unpaid, paid or expired, got " + name);
    }
}
