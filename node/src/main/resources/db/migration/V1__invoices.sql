-- The invoices we send (sendinvoice), with Core Lightning's listinvoices fields.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL.

-- One row per index (created_index, updated_index, pay_index): the last value handed out.
-- A writer increments its row first, which locks it until commit: indexes are gap-free and
-- become visible in their own order.
CREATE TABLE invoice_counters (
    counter_name  VARCHAR(16) NOT NULL PRIMARY KEY,
    counter_value BIGINT      NOT NULL
);
INSERT INTO invoice_counters (counter_name, counter_value) VALUES ('created', 0);
INSERT INTO invoice_counters (counter_name, counter_value) VALUES ('updated', 0);
INSERT INTO invoice_counters (counter_name, counter_value) VALUES ('pay', 0);

CREATE TABLE invoices (
    created_index        BIGINT        NOT NULL PRIMARY KEY,
    label                VARCHAR(1024) NOT NULL,
    description          VARCHAR,
    payment_hash         BYTEA         NOT NULL,
    -- Kept from creation: the node settles HTLCs with it.
    payment_preimage     BYTEA         NOT NULL,
    status               VARCHAR(8)    NOT NULL,
    updated_index        BIGINT,
    expires_at           BIGINT        NOT NULL,
    amount_msat          BIGINT        NOT NULL,
    bolt12               VARCHAR       NOT NULL,
    -- SHA-256 of bolt12: invoice strings can be too long for a B-tree entry.
    bolt12_hash          BYTEA         NOT NULL,
    local_offer_id       BYTEA,
    invreq_payer_note    VARCHAR,
    pay_index            BIGINT,
    amount_received_msat BIGINT,
    paid_at              BIGINT,
    CONSTRAINT invoices_label_key UNIQUE (label),
    CONSTRAINT invoices_payment_hash_key UNIQUE (payment_hash),
    CONSTRAINT invoices_bolt12_hash_key UNIQUE (bolt12_hash),
    CONSTRAINT invoices_updated_index_key UNIQUE (updated_index),
    CONSTRAINT invoices_pay_index_key UNIQUE (pay_index),
    CONSTRAINT invoices_status_check CHECK (status IN ('unpaid', 'paid', 'expired')),
    CONSTRAINT invoices_paid_check CHECK (
        (status = 'paid' AND pay_index IS NOT NULL AND amount_received_msat IS NOT NULL AND paid_at IS NOT NULL)
        OR (status <> 'paid' AND pay_index IS NULL AND amount_received_msat IS NULL AND paid_at IS NULL)),
    CONSTRAINT invoices_updated_check CHECK (status = 'unpaid' OR updated_index IS NOT NULL)
);

CREATE INDEX invoices_status_expiry ON invoices (status, expires_at);
CREATE INDEX invoices_local_offer_id ON invoices (local_offer_id);
