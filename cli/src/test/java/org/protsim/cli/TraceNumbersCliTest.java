package org.protsim.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/**
 * {@code protsim run} of a trace whose second line holds a number too big for its field: exit
 * code 2, one line on stderr naming file and line, no stack trace, no results folder.
 */
class TraceNumbersCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "strace | 99999999999 10:00:00.000002 brk(NULL) = 0x1000 | pid 99999999999 is outside 1..4194304",
        "strace | 1 99999999999999999999.000002 brk(NULL) = 0x1000 | timestamp 99999999999999999999 s is after",
        "strace | 1 10:00:00.000002 +++ exited with 4294967296 +++ | exit status 4294967296 is outside 0..255",
        "strace | 1 10:00:00.000002 munmap(0x1000, 18446744073709551616) = 0 | expected a number",
        "strace | 1 10:00:00.000002 clone(child_stack=NULL, flags=SIGCHLD) = 4294967297 | child pid 4294967297",
        "lackey | ' L 1000,99999999999'                  | expected \"I|L|S|M ADDRESS,SIZE\"",
        "lackey | ' L 1234567890abcdef0,8'               | expected \"I|L|S|M ADDRESS,SIZE\"",
    })
    void shouldExitTwoWithOneLineNamingFileAndLine(String type, String second, String expected) throws IOException {
        String first = type.equals("strace") ? "1 10:00:00.000001 brk(NULL) = 0x1000" : "I  0400,4";
        Path trace = dir.resolve("t." + type);
        Files.writeString(trace, first + "\n" + second + "\n");
        Path config = dir.resolve("c.json");
        Files.writeString(config, "{\"workload\": {\"type\": \"" + type + "\", \"path\": \""
                + trace.toString().replace("\\", "\\\\") + "\"}}");
        Path out = dir.resolve("out");
        CliTest.Outcome o = protsim("run", config.toString(), "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().lines()).singleElement().asString().contains(trace + ":2: " + expected)
                .doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }
}
