package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which CPU takes a device's completion interrupt. */
public enum IrqRouting {
    /**
     * The CPU that submitted the request: NVMe under Linux has a submission/completion queue pair
     * per CPU with its MSI-X vector affine to that CPU (drivers/nvme/host/pci.c, blk-mq).
     */
    SUBMITTER("submitter"),
    /** One CPU for every completion ({@code irqCpu}): a device with a single interrupt vector. */
    FIXED("fixed");

    private final String json;

    IrqRouting(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
