package dev.recall.sample.scenario;

/**
 * What {@link Scenario#linger} did after the scenario.
 *
 * @param seconds  how long it kept calling ({@code sample.linger})
 * @param calls    cached reads made in that time
 * @param failures calls that threw (rates API errors when {@code sample.ratesErrorRate} is set)
 */
public record Linger(long seconds, int calls, int failures) {
}
