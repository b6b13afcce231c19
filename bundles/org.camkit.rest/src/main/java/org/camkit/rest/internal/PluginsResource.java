package org.camkit.rest.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import org.camkit.api.Explainer;
import org.camkit.api.PluginInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /v1/plugins/{kind}}: the methods, targets, visualizers, metrics or backends now registered. */
@Component(service = PluginsResource.class)
@JaxrsResource
@JaxrsName("camkit.plugins")
@JaxrsExtensionSelect({"(osgi.jaxrs.name=" + TokenFilter.NAME + ")", "(osgi.jaxrs.name=" + ErrorMapper.NAME + ")"})
@Path("v1/plugins")
@Produces(Json.MEDIA_TYPE)
public final class PluginsResource {
    private final Explainer explainer;

    /** @param explainer lists the plugins */
    @Activate
    public PluginsResource(@Reference Explainer explainer) {
        this.explainer = explainer;
    }

    /**
     * @param kind {@code methods}, {@code targets}, {@code visualizers}, {@code metrics} or {@code backends}
     * @return the plugins of that kind, sorted by name: name, bundle, details
     */
    @GET
    @Path("{kind}")
    public String plugins(@PathParam("kind") String kind) {
        return Json.write(explainer.plugins(kind(kind)).stream().map(p -> new PluginView(p.name(), p.bundle(),
                p.details())).toList());
    }

    /** @return the kinds as the path names them: each role's name in lower case, plural */
    static List<String> kinds() {
        return Arrays.stream(PluginInfo.Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT) + "s").toList();
    }

    private static PluginInfo.Kind kind(String kind) {
        int index = kinds().indexOf(kind);
        if (index < 0) {
            throw new RestException(404, "unknown plugin kind '" + kind + "'; kinds: " + String.join(", ", kinds()),
                    kind, kinds());
        }
        return PluginInfo.Kind.values()[index];
    }

    private record PluginView(String name, String bundle, List<String> details) {
    }
}
