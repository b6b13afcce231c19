package org.camkit.rest.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.camkit.api.ImageInput;

/**
 * What a request uploads, read within the limits before anything is decoded: the body (at most
 * {@code maxUploadBytes}, refused from its Content-Length when that says more), its images (base64 in JSON, or
 * multipart/form-data parts), each image's pixels as its header states them (at most {@code maxImagePixels}).
 */
final class Uploads {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]{1,70})\"?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

    /** A request's images and its {@code parameters} object (empty when none). */
    record Upload(List<byte[]> images, JsonObject parameters) {
    }

    private Uploads() {
    }

    /**
     * @param body          the request body
     * @param contentLength the Content-Length header, or -1
     * @param maxBytes      the most bytes a body may have
     * @return the body's bytes
     * @throws RestException 413 when the body is larger
     */
    static byte[] read(InputStream body, long contentLength, long maxBytes) {
        if (contentLength > maxBytes) {
            throw tooLarge(contentLength, maxBytes);
        }
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(-1, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw RestException.badRequest("cannot read the request body: " + e.getMessage(), null);
        }
    }

    /**
     * @param body a JSON body {@code {"instances": [{"b64": ...}, ...], "parameters": {...}}}
     * @return its images and parameters
     */
    static Upload json(byte[] body) {
        JsonObject json = Json.object(new String(body, StandardCharsets.UTF_8), "the request body");
        JsonElement instances = json.get("instances");
        if (instances == null || !instances.isJsonArray()) {
            throw RestException.badRequest("the request body needs \"instances\": [{\"b64\": \"<base64 PNG or "
                    + "JPEG>\"}, ...]", "instances");
        }
        List<byte[]> images = new ArrayList<>();
        for (JsonElement instance : instances.getAsJsonArray()) {
            String culprit = "instances[" + images.size() + "]";
            if (!instance.isJsonObject() || !instance.getAsJsonObject().has("b64")
                    || !instance.getAsJsonObject().get("b64").isJsonPrimitive()) {
                throw RestException.badRequest(culprit + " is not {\"b64\": \"<base64 PNG or JPEG>\"}; images come "
                        + "only as their bytes (no file paths or URLs)", culprit);
            }
            try {
                images.add(base64(instance.getAsJsonObject().get("b64").getAsString()));
            } catch (IllegalArgumentException e) {
                throw RestException.badRequest(culprit + ".b64 is not base64: " + e.getMessage(), culprit);
            }
        }
        return new Upload(images, parameters(json.get("parameters")));
    }

    /** @return a request's parameters: none (absent, or JSON null) as an empty object, else the object they must be */
    private static JsonObject parameters(JsonElement given) {
        return given == null || given.isJsonNull() ? new JsonObject() : Json.object(given, "parameters");
    }

    /** @return the bytes of base64 text (line breaks allowed; a data URL's {@code data:...;base64,} prefix too) */
    static byte[] base64(String text) {
        String data = text.startsWith("data:") && text.contains(",") ? text.substring(text.indexOf(',') + 1) : text;
        return Base64.getDecoder().decode(WHITESPACE.matcher(data).replaceAll(""));
    }

    /**
     * @param body        a multipart/form-data body
     * @param contentType its Content-Type, with the boundary
     * @return the parts named {@code image} (files, in order) and the part named {@code parameters} (a JSON object)
     */
    static Upload multipart(byte[] body, String contentType) {
        Matcher boundary = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!boundary.find()) {
            throw RestException.badRequest("a multipart body needs a boundary in its Content-Type", "Content-Type");
        }
        byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> images = new ArrayList<>();
        JsonObject parameters = new JsonObject();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // the closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            int next = indexOf(body, delimiter, start);
            if (headersEnd < 0 || next < 0 || headersEnd > next) {
                throw RestException.badRequest("the multipart body is malformed (a part without headers or end)",
                        null);
            }
            String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int contentEnd = Math.max(contentStart, next - 2); // the CRLF before the delimiter
            Matcher name = NAME.matcher(headers);
            String part = name.find() ? name.group(1) : "";
            byte[] content = Arrays.copyOfRange(body, contentStart, contentEnd);
            switch (part) {
                case "image" -> images.add(content);
                case "parameters" -> {
                    String text = new String(content, StandardCharsets.UTF_8).trim();
                    parameters = parameters(text.isEmpty() ? null : Json.parse(text, "parameters"));
                }
                default -> throw new RestException(400, "unknown multipart part '" + part + "'; send files as "
                        + "'image' and the parameters as 'parameters' (JSON)", part, List.of("image", "parameters"));
            }
            at = next;
        }
        if (images.isEmpty()) {
            throw RestException.badRequest("the multipart body has no part named 'image' (curl -F image=@photo.png)",
                    "image");
        }
        return new Upload(images, parameters);
    }

    /**
     * @param images    the uploaded images
     * @param maxImages the most one request may have
     * @param maxPixels the most pixels one image may have, as its header states them
     * @return the images as camkit's inputs, named {@code instances[i]}
     * @throws RestException 400 for none or too many, 413 for an image with more pixels (not decoded)
     */
    static List<ImageInput> images(List<byte[]> images, int maxImages, long maxPixels) {
        if (images.isEmpty()) {
            throw RestException.badRequest("the request has no image", "instances");
        }
        if (images.size() > maxImages) {
            throw RestException.badRequest("the request has " + images.size() + " images, more than the API's "
                    + "limit of " + maxImages + " (maxImages in configuration " + RestConfig.PID + ")", "instances");
        }
        List<ImageInput> inputs = new ArrayList<>();
        for (byte[] image : images) {
            String name = "instances[" + inputs.size() + "]";
            checkPixels(name, image, maxPixels);
            inputs.add(ImageInput.of(name, image));
        }
        return inputs;
    }

    /**
     * Reads the image's size from its header alone; an image in no format the JDK reads passes (camkit's decoder
     * then names the formats it reads).
     */
    static void checkPixels(String name, byte[] image, long maxPixels) {
        // in memory: ImageIO's default stream for an InputStream caches it in a temporary file
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                return;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw RestException.tooLarge(name + " is " + width + "x" + height + " pixels, more than the API's "
                            + "limit of " + maxPixels + " (maxImagePixels in configuration " + RestConfig.PID
                            + "); it was not decoded: scale it down first", name);
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw RestException.badRequest(name + " has an unreadable header: " + e.getMessage(), name);
        }
    }

    private static RestException tooLarge(long length, long maxBytes) {
        return RestException.tooLarge("the request body " + (length >= 0 ? "is " + length + " bytes" : "is larger")
                + ", more than the API's limit of " + maxBytes + " bytes (maxUploadBytes in configuration "
                + RestConfig.PID + ")", "body");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** @return whether a media type is multipart/form-data */
    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }
}
