package org.protsim.validate;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a published figure was used to set a constant (calibrated) or protsim predicts it from its inputs. */
public enum Basis {
    /** A machine constant was fitted to this figure: leaving the band means something broke the fit. */
    CALIBRATED("calibrated"),
    /** No constant was fitted to it: the figure is an outcome of the simulation held against the machine. */
    PREDICTED("predicted");

    private final String json;

    Basis(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
