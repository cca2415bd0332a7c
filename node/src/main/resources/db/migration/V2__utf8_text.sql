-- Text a remote payer writes (offer_description, invreq_payer_note) can be any valid UTF-8, NUL
-- included, which a PostgreSQL text column cannot hold. From this version on it is stored as its
-- UTF-8 bytes in these columns, and the old text columns are left NULL. Rows written before keep
-- their text where it was: a reader takes the bytes when present, else the old text.
ALTER TABLE invoices ADD COLUMN description_utf8 BYTEA;
ALTER TABLE invoices ADD COLUMN invreq_payer_note_utf8 BYTEA;
