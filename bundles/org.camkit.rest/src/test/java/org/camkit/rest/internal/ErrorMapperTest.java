package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    @Test
    void aServerFileInAMessageIsNamedWithoutItsFolders() {
        assertEquals("model 'm': cannot load weights …/m.params: …/m.params (No such file or directory)",
                ErrorMapper.withoutFolders("model 'm': cannot load weights /srv/camkit/models/m.params: "
                        + "/srv/camkit/models/m.params (No such file or directory)"));
        assertEquals("models directory '…/models' is not readable",
                ErrorMapper.withoutFolders("models directory '/home/op/camkit/models' is not readable"));
        assertEquals("file …/duck.pt missing", ErrorMapper.withoutFolders("file C:\\models\\duck.pt missing"));
        assertNull(ErrorMapper.withoutFolders(null));
        assertEquals("cannot open …/m.pt", ErrorMapper.withoutFolders("cannot open file:///srv/camkit/m.pt"));
        assertEquals("share …/x.pt", ErrorMapper.withoutFolders("share \\\\server\\share\\x.pt"));
        assertEquals("…/c.pt missing", ErrorMapper.withoutFolders("/srv/a,b/c.pt missing"));
        assertEquals("images …/a.png, …/b.png", ErrorMapper.withoutFolders("images /in/a.png, /in/b.png"));
    }

    @Test
    void aFolderWithASpaceIsCaughtUnderTheServersOwnFolders() {
        List<String> roots = ErrorMapper.roots("/home/my user/", null, "/", "/tmp");
        assertEquals(List.of("/home/my user", "/tmp"), roots, "longest first, no bare root");
        assertEquals("weights …/models/m.pt and …/x.npy", ErrorMapper.withoutFolders(
                "weights /home/my user/models/m.pt and /tmp/x.npy", roots));
    }

    @Test
    void namesRelativePathsAndAddressesStayAsTheyAre() {
        for (String text : List.of("unknown method 'x'; known methods: [gradcam, scorecam]", "use features/rest.json",
                "see https://example.org/docs/page", "ratio 1/2 of the channels", "a /single name")) {
            assertEquals(text, ErrorMapper.withoutFolders(text));
        }
    }
}
