package org.protsim.orchestration;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** compare's driver-dma mechanism tables, as compare.md and compare-dma.csv show them. */
class DmaTablesTest {
    @Test
    void shouldSetTheFourDmaModesAndThreePatModesSideBySide() {
        Comparison c = new Comparison(List.of("driver-dma"), List.of("conventional"),
                List.of("workload.requestsPerClient=30"));
        // one model run, plus 4 dma modes and 3 pat modes x 3 mapping counts
        assertThat(c.runCount()).isEqualTo(1 + 4 + 9);
        List<Comparison.Row> rows = c.run(2, null, p -> { });
        String md = c.markdown(rows);
        assertThat(md).contains("## driver-dma: kernel.dma modes (conventional)")
                .contains("| shared-pool |").contains("| iommu-strict |").contains("| iommu-deferred |")
                .contains("| owned-pages |").contains("| vma-walk | 1000 |").contains("| memtype-tree | 10 |");
    }

    @Test
    void shouldReportNoCatchInTheSharedPoolAndCheapTreeChecksAtAThousandMappings() {
        DmaTables t = new DmaTables(List.of("workload.requestsPerClient=30"));
        Comparison c = new Comparison(List.of("driver-dma"), List.of("conventional"),
                List.of("workload.requestsPerClient=30"));
        c.run(2, null, p -> { });
        String csv = c.dmaCsv();
        String[] lines = csv.split("\n");
        assertThat(lines).hasSize(1 + t.plans().size());
        // shared-pool: every wild write lands (caught column 0, landed = wild)
        String[] shared = lines[1].split(",", -1);
        assertThat(shared[1]).isEqualTo("shared-pool");
        assertThat(shared[9]).isEqualTo("0");
        assertThat(shared[10]).isEqualTo(shared[8]);
        // at 1,000 held mappings a vma-walk check scans them all (>= 1,000 x 42 cycles / 2 on average, the
        // holder's own checks included), a tree check visits ~log2(1,000) = 10 nodes (< 100 + 42 x 20)
        double walk = Double.parseDouble(lines[1 + 4 + 3 + 2].split(",", -1)[15]);
        double tree = Double.parseDouble(lines[1 + 4 + 6 + 2].split(",", -1)[15]);
        assertThat(walk).isGreaterThan(1000 * 42 / 2.0);
        assertThat(tree).isLessThan(100 + 42 * 20);
    }
}
