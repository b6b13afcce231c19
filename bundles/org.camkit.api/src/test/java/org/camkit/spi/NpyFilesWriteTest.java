package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NpyFilesWriteTest {

    @Test
    void headerFollowsTheNpyOnePointZeroLayout() {
        byte[] header = NpyFiles.header(3, 2);

        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
        assertEquals(128, header.length, "10 preamble bytes + dict + padding + newline, a multiple of 64");
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, slice(header, 0, 8));
        assertEquals(118, (header[8] & 0xff) | (header[9] & 0xff) << 8, "header length, uint16 little-endian");
        assertEquals(dict, new String(header, 10, dict.length(), StandardCharsets.US_ASCII));
        for (int i = 10 + dict.length(); i < header.length - 1; i++) {
            assertEquals(' ', header[i], "padding at " + i);
        }
        assertEquals('\n', header[header.length - 1]);
    }

    @Test
    void oneDimensionalShapeIsWrittenAsAOneTuple() {
        String text = new String(NpyFiles.header(7), StandardCharsets.US_ASCII);

        assertEquals(true, text.contains("'shape': (7,), }"), text);
        assertEquals(128, NpyFiles.header(7).length);
    }

    @Test
    void headerGrowsByWholeBlocksOf64Bytes() {
        // a dict that no longer fits in 118 bytes takes the next block
        assertEquals(192, NpyFiles.header(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19).length);
    }

    @Test
    void fileMatchesNumpySaveByteForByte() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        NpyFiles.write(out, new float[] {1.5f, -2f, 0f, 3.25f, 1e-7f, 1f}, 3, 2);

        // np.save(f, np.array([[1.5, -2], [0, 3.25], [1e-7, 1]], '<f4')) with numpy 2.4
        String numpy = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046"
                + "616c73652c20277368617065273a2028332c2032292c207d" + "20".repeat(58) + "0a"
                + "0000c03f000000c0000000000000504095bfd6330000803f";
        assertEquals(numpy, HexFormat.of().formatHex(out.toByteArray()));
        assertEquals(numpy, HexFormat.of().formatHex(NpyFiles.bytes(new float[] {1.5f, -2f, 0f, 3.25f, 1e-7f, 1f},
                3, 2)), "the same bytes in memory");
    }

    @Test
    void dataThatDoesNotFillTheShapeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> NpyFiles.write(new ByteArrayOutputStream(), new float[5], 3, 2));
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] part = new byte[to - from];
        System.arraycopy(bytes, from, part, 0, part.length);
        return part;
    }
}
