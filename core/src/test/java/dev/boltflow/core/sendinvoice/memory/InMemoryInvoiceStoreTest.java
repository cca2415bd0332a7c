package dev.boltflow.core.sendinvoice.memory;

import dev.boltflow.core.sendinvoice.InvoiceStore;
import dev.boltflow.core.sendinvoice.InvoiceStoreContract;

class InMemoryInvoiceStoreTest extends InvoiceStoreContract {
    @Override
    protected InvoiceStore openStore() {
        return new InMemoryInvoiceStore();
    }
}
