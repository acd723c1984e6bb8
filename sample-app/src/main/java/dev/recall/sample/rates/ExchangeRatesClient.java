package dev.recall.sample.rates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Client of the exchange-rates API. It plays the part of third-party library code that nobody can edit,
 * so it carries no Recall annotations: {@code recall.yml} caches {@link #rate} from the outside.
 *
 * <p>Thread-safe: the JDK {@link HttpClient} is, and this class holds nothing else that changes.
 */
public class ExchangeRatesClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The answer's other fields (from, to, and whatever the API adds later) are not this client's business. */
    private static final ObjectReader ANSWER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build()
            .readerFor(Answer.class);

    /** What the client reads of an answer; the rate as written, scale and all (1.0800 stays 1.0800). */
    record Answer(BigDecimal rate) {
    }

    private final URI baseUri;
    private final HttpClient http;

    public ExchangeRatesClient(URI baseUri) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * How many units of {@code to} one unit of {@code from} buys, as the API says right now.
     *
     * @throws ExchangeRateException on any status but 200, a malformed answer, or no answer
     */
    public BigDecimal rate(String from, String to) {
        URI uri = baseUri.resolve("rate?from=" + encode(from) + "&to=" + encode(to));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ExchangeRateException("rate " + from + "->" + to + ": no answer from " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeRateException("rate " + from + "->" + to + ": interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new ExchangeRateException(
                    "rate " + from + "->" + to + ": HTTP " + response.statusCode(), response.statusCode());
        }
        return parseRate(response.body());
    }

    /** The {@code "rate"} of a JSON answer; anything unexpected is reported rather than guessed at. */
    static BigDecimal parseRate(String json) {
        Answer answer;
        try {
            answer = ANSWER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new ExchangeRateException("bad answer: " + json, e);
        }
        if (answer == null || answer.rate() == null) {
            throw new ExchangeRateException("no \"rate\" in answer: " + json, 200);
        }
        return answer.rate();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
