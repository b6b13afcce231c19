package org.camkit.launcher;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

// Explains why a runtime is not ready: bundles not active and Declarative Services components not satisfied.
final class Diagnostics {
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    private static final String DESCRIPTION = "org.osgi.service.component.runtime.dto.ComponentDescriptionDTO";
    private final CamkitRuntime runtime;

    Diagnostics(CamkitRuntime runtime) {
        this.runtime = runtime;
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        for (Bundle bundle : runtime.bundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (bundle.getState() != Bundle.ACTIVE && !fragment) {
                String failure = runtime.startFailures().get(bundle);
                text.append("\n  bundle ").append(bundle.getSymbolicName()).append(" is ")
                        .append(state(bundle.getState())).append(failure == null ? "" : ": " + failure);
            }
        }
        components(runtime.context(), text);
        return text.length() == 0 ? " All bundles are active and all components satisfied." : text.toString();
    }

    // The SCR DTOs live in a bundle class loader: read them reflectively (public types, public fields).
    private static void components(BundleContext context, StringBuilder text) {
        ServiceReference<?> reference = CamkitRuntime.firstReference(context, SCR);
        if (reference == null) {
            return;
        }
        Object scr = context.getService(reference);
        try {
            Class<?> type = reference.getBundle().loadClass(SCR);
            Class<?> descriptionType = reference.getBundle().loadClass(DESCRIPTION);
            Object descriptions = type.getMethod("getComponentDescriptionDTOs", Bundle[].class)
                    .invoke(scr, (Object) new Bundle[0]);
            for (Object description : (Collection<?>) descriptions) {
                String name = (String) field(description, "name");
                Object configurations = type.getMethod("getComponentConfigurationDTOs", descriptionType)
                        .invoke(scr, description);
                if (((Collection<?>) configurations).isEmpty()) {
                    boolean enabled = (Boolean) type.getMethod("isComponentEnabled", descriptionType)
                            .invoke(scr, description);
                    text.append("\n  component ").append(name).append(enabled
                            ? " waits for a configuration" : " is disabled");
                }
                for (Object configuration : (Collection<?>) configurations) {
                    int state = (Integer) field(configuration, "state");
                    if (state == 1 || state == 2 || state == 16) {
                        text.append("\n  component ").append(name).append(' ').append(problem(configuration, state));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            text.append("\n  (cannot list components: ").append(e).append(')');
        } finally {
            context.ungetService(reference);
        }
    }

    private static String problem(Object configuration, int state) throws ReflectiveOperationException {
        if (state == 1) {
            return "waits for a configuration";
        }
        if (state == 16) {
            return "failed to activate: " + field(configuration, "failure");
        }
        Object references = field(configuration, "unsatisfiedReferences");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Array.getLength(references); i++) {
            Object reference = Array.get(references, i);
            Object target = field(reference, "target");
            names.add(field(reference, "name") + (target == null ? "" : " " + target));
        }
        return "has unsatisfied references " + names;
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        return dto.getClass().getField(name).get(dto);
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "in state " + state;
        };
    }
}
