package io.custops.events.payload;

import java.math.BigDecimal;

/** A decimal amount with its ISO 4217 currency; the value travels as a string so no precision is lost. */
public record Money(String value, String currency) {
    public static Money of(BigDecimal value, String currency) {
        return new Money(value.toPlainString(), currency);
    }

    public BigDecimal amount() {
        return new BigDecimal(value);
    }
}
