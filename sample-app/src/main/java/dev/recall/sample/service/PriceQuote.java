package dev.recall.sample.service;

import java.math.BigDecimal;

/** A product's price in another currency, with the rate used. */
public record PriceQuote(long id, String currency, BigDecimal price, BigDecimal rate) {
}
