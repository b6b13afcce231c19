package org.camkit.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /openapi.json}: the API's OpenAPI 3 description, shipped in the bundle. */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsName("camkit.openapi")
@JaxrsExtensionSelect("(osgi.jaxrs.name=" + ErrorMapper.NAME + ")")
@Path("openapi.json")
public final class OpenApiResource {
    /** Where the description lies in the bundle. */
    static final String FILE = "/api/openapi.json";

    /** @return the description */
    @GET
    @Produces(Json.MEDIA_TYPE)
    public byte[] openapi() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
