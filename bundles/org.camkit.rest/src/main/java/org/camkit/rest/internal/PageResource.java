package org.camkit.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

// GET / and /page/{asset}: the web page, from a fixed list of files inside this bundle; a request names an entry of
// the list, never a path on the file system or the class path.
@Component(service = PageResource.class)
@JaxrsResource
@JaxrsName(PageResource.NAME)
@Path("/")
public final class PageResource {
    /** The resource's {@code osgi.jaxrs.name}. */
    static final String NAME = "camkit.page";

    /** The page's files by the name a request uses: the bundle resource and its media type. */
    static final Map<String, Asset> ASSETS = Map.of(
            "app.js", new Asset("page/app.js", "text/javascript;charset=utf-8"),
            "style.css", new Asset("page/style.css", "text/css;charset=utf-8"));
    private static final Asset INDEX = new Asset("page/index.html", "text/html;charset=utf-8");

    // the page loads nothing from elsewhere: scripts, styles and requests from this server only, images also from
    // the data: and blob: URLs it makes itself
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    /** @return the page */
    @GET
    public Response index() {
        return serve(INDEX);
    }

    /**
     * @param name a name of {@link #ASSETS}
     * @return the page's script or style sheet, or 404 with the names there are
     */
    @GET
    @Path("page/{asset}")
    public Response asset(@PathParam("asset") String name) {
        Asset asset = ASSETS.get(name);
        if (asset == null) {
            List<String> names = ASSETS.keySet().stream().sorted().toList();
            return ErrorMapper.response(404, new ApiError("the page has no file '" + name + "'; its files: "
                    + String.join(", ", names), name, names), 0);
        }
        return serve(asset);
    }

    private Response serve(Asset asset) {
        return Response.ok(asset.read(), asset.type())
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    // One file the API serves from this bundle (the page's, the OpenAPI description): where it lies and what it is.
    record Asset(String resource, String type) {

        byte[] read() {
            try (InputStream in = PageResource.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundle org.camkit.rest lacks its file " + resource);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundle's file " + resource, e);
            }
        }
    }
}
