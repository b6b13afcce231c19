package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static final List<String> LOOPBACK = List.of("http://127.0.0.1:8080/", "http://[::1]:8080/");
    private static final List<String> EXPOSED = List.of("http://127.0.0.1:8080/", "http://10.1.2.3:8080/");

    @Test
    void onLoopbackWithoutATokenEveryoneMayCall() {
        assertDoesNotThrow(() -> Access.check("", Access.exposed(LOOPBACK), null));
        assertDoesNotThrow(() -> Access.check("", Access.exposed(List.of("http://localhost:8080/")), null));
    }

    @Test
    void beyondLoopbackWithoutATokenNobodyMayCall() {
        RestException e = assertThrows(RestException.class, () -> Access.check("", Access.exposed(EXPOSED), "Bearer anything"));
        assertEquals(403, e.status());
        assertEquals("http://10.1.2.3:8080/", e.body().culprit());
        assertTrue(e.getMessage().contains("set 'token' in configuration org.camkit.rest"), e.getMessage());
        assertEquals(403, assertThrows(RestException.class,
                () -> Access.check("", Access.exposed(List.of("http://0.0.0.0:8080/")), null)).status(), "the wildcard address");
    }

    @Test
    void withATokenOnlyRequestsBearingItMayCall() {
        assertDoesNotThrow(() -> Access.check("s3cret", Access.exposed(EXPOSED), "Bearer s3cret"));
        assertDoesNotThrow(() -> Access.check("s3cret", Access.exposed(LOOPBACK), "Bearer s3cret"));
        RestException missing = assertThrows(RestException.class, () -> Access.check("s3cret", Access.exposed(LOOPBACK), null));
        assertEquals(401, missing.status());
        assertTrue(missing.getMessage().contains("Authorization: Bearer <token>"), missing.getMessage());
        assertEquals(401, assertThrows(RestException.class,
                () -> Access.check("s3cret", Access.exposed(LOOPBACK), "Bearer s3cre")).status());
        assertEquals(401, assertThrows(RestException.class,
                () -> Access.check("s3cret", Access.exposed(LOOPBACK), "Basic s3cret")).status());
    }

    @Test
    void theRuntimesEndpointPropertyMayBeAStringAnArrayOrACollection() {
        assertEquals(List.of("a"), Access.endpoints("a"));
        assertEquals(List.of("a", "b"), Access.endpoints(new String[] {"a", "b"}));
        assertEquals(List.of("a", "b"), Access.endpoints(List.of("a", "b")));
        assertEquals(List.of(), Access.endpoints(null));
    }
}
