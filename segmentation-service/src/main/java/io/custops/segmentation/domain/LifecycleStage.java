package io.custops.segmentation.domain;

import java.util.Locale;

/** The six lifecycle stages of DESIGN.md §1, with their wire names (e.g. {@code churn-winback}). */
public enum LifecycleStage {
    ACQUISITION, ACTIVATION, RETENTION, CONVERSION, REPURCHASE, CHURN_WINBACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
