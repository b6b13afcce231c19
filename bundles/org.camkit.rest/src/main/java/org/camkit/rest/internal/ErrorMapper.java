package org.camkit.rest.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.camkit.api.CamException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Every failure as the API's JSON error with its status: camkit's own by kind (bad input 400, unknown name 404,
// impossible pairing 409, a plugin being redeployed 503 with Retry-After, work cancelled 503), the API's limits as they
// set them, JAX-RS's (no such endpoint, wrong verb) as they are, and anything else as 500 with the server log's entry.
// A message from camkit or from a failure may name a file of the server (a model's weights): the remote caller gets
// its name without the folders above it (as do the per-method errors of a comparison, Answers).
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(ErrorMapper.NAME)
public final class ErrorMapper implements ExceptionMapper<RuntimeException> {
    /** The extension's {@code osgi.jaxrs.name}: the resources select it. */
    static final String NAME = "camkit.errors";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    /**
     * The folders of an absolute path up to its last name: POSIX, a {@code file:} URI, Windows with a drive letter or
     * a UNC share; a folder name with a space is caught only under a {@link #ROOTS root}.
     */
    private static final Pattern FOLDERS = Pattern.compile("(?<![\\w.~/\\\\…])(?:file:/*/|\\\\\\\\|/|[A-Za-z]:\\\\)"
            + "(?:[^\\s'\"/\\\\:;()\\[\\]]+[/\\\\])+(?=[^\\s'\"/\\\\:;()\\[\\]])");
    /** This server's camkit home, working, home and temporary folders, shown as {@code …} wherever they occur. */
    private static final List<String> ROOTS = roots(System.getProperty("camkit.home"),
            System.getProperty("user.dir"), System.getProperty("user.home"), System.getProperty("java.io.tmpdir"));

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof RestException r) {
            return response(r);
        }
        if (e instanceof CamException c) {
            return response(status(c.kind()), new ApiError(withoutFolders(c.getMessage()),
                    withoutFolders(c.culprit()), c.choices()), c.kind() == CamException.Kind.UNAVAILABLE ? 1 : 0);
        }
        if (e instanceof WebApplicationException w) {
            Response.StatusType status = w.getResponse().getStatusInfo();
            return response(status.getStatusCode(), new ApiError(status.getStatusCode() + " "
                    + status.getReasonPhrase() + (status.getStatusCode() == 404
                            ? ": no such endpoint; GET /openapi.json lists them" : ""), null, List.of()), 0);
        }
        LOG.error("a REST request failed", e);
        return response(500, new ApiError("camkit failed: " + withoutFolders(e.toString()) + "; the server log has "
                + "the details", null, List.of()), 0);
    }

    /**
     * @param text a message, or null
     * @return the text with the folders of each absolute file path in it shown as {@code …/} (the file's name stays)
     */
    static String withoutFolders(String text) {
        return withoutFolders(text, ROOTS);
    }

    /** {@link #withoutFolders(String)} with these folders of the server first, each shown as {@code …}. */
    static String withoutFolders(String text, List<String> roots) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String root : roots) {
            out = out.replace(root + "/", "…/").replace(root + "\\", "…/");
        }
        return FOLDERS.matcher(out).replaceAll("…/");
    }

    /** @return the folders given, without a trailing separator, longer than a root folder, longest first */
    static List<String> roots(String... folders) {
        return Arrays.stream(folders).filter(Objects::nonNull).map(f -> f.replaceAll("[/\\\\]+$", ""))
                .filter(f -> f.length() > 3).distinct().sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** @return the API's refusal: its status and body, Retry-After when it says, a Bearer challenge with 401 */
    static Response response(RestException e) {
        return response(e.status(), e.body(), e.retryAfterSeconds());
    }

    /**
     * @param status            the HTTP status
     * @param body              the error document
     * @param retryAfterSeconds the Retry-After header's value, 0 for none
     * @return the answer, with a Bearer challenge for 401
     */
    static Response response(int status, ApiError body, int retryAfterSeconds) {
        Response.ResponseBuilder response = Response.status(status).type(Json.MEDIA_TYPE).entity(Json.write(body));
        if (retryAfterSeconds > 0) {
            response.header("Retry-After", retryAfterSeconds);
        }
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"camkit\"");
        }
        return response.build();
    }

    static int status(CamException.Kind kind) {
        return switch (kind) {
            case UNKNOWN -> 404;
            case UNSUPPORTED -> 409;
            case INVALID -> 400;
            case UNAVAILABLE, CANCELLED -> 503;
        };
    }
}
