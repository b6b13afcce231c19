package org.camkit.rest.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;

// Who may call the API: anyone on loopback while no token is set; with a token, only requests bearing it; bound to
// another address, nobody until a token is set.
final class Access {
    private static final String BEARER = "Bearer ";

    private Access() {
    }

    /**
     * @param token         the configured token, empty for none
     * @param exposed       the first URI the API is served at beyond loopback ({@link #exposed}), or null
     * @param authorization the request's Authorization header, or null
     * @throws RestException 401 without the right token, 403 when bound beyond loopback without a token
     */
    static void check(String token, String exposed, String authorization) {
        if (token.isEmpty()) {
            if (exposed != null) {
                throw new RestException(403, "camkit's API is served at " + exposed + ", beyond loopback, and no "
                        + "token is set, so it answers nobody: set 'token' in configuration " + RestConfig.PID
                        + " (or CAMKIT_TOKEN for ./camkit serve), or bind to 127.0.0.1", exposed, List.of());
            }
            return;
        }
        String given = authorization != null && authorization.startsWith(BEARER)
                ? authorization.substring(BEARER.length()).trim() : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new RestException(401, new ApiError(given.isEmpty() ? "this API needs a token: send the header "
                    + "'Authorization: Bearer <token>'" : "the bearer token is wrong", null, List.of()), 0);
        }
    }

    /**
     * @param endpoints the URIs the API is served at (the JAX-RS runtime's {@code osgi.jaxrs.endpoint})
     * @return the first of them beyond loopback, or null when all are on loopback
     */
    static String exposed(List<String> endpoints) {
        return endpoints.stream().filter(e -> !loopback(e)).findFirst().orElse(null);
    }

    /** @return the endpoints in a service property's value: a string, an array or a collection of them */
    static List<String> endpoints(Object property) {
        if (property instanceof String s) {
            return List.of(s);
        }
        if (property instanceof String[] a) {
            return List.of(a);
        }
        if (property instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    static boolean loopback(String endpoint) {
        try {
            String host = URI.create(endpoint).getHost();
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }
}
