package org.protsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IOMMU's config record: its JSON form, strictness and validation. */
class IommuConfigTest {
    final ObjectMapper mapper = ConfigLoader.strictMapper();

    @Test
    void shouldReadBackWhatItWrites() throws Exception {
        JsonNode tree = mapper.valueToTree(IommuConfig.DEFAULT);
        assertThat(mapper.treeToValue(tree, IommuConfig.class)).isEqualTo(IommuConfig.DEFAULT);
        // Linux's queue of 256 per CPU and 10 ms at 3 GHz
        assertThat(tree.at("/flushQueue/queueEntries").asInt()).isEqualTo(256);
        assertThat(tree.at("/flushQueue/flushIntervalCycles").asLong()).isEqualTo(30_000_000L);
        assertThat(tree.at("/iotlb/entries").asInt()).isEqualTo(2048);
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        ObjectNode tree = mapper.valueToTree(IommuConfig.DEFAULT);
        ((ObjectNode) tree.get("flushQueue")).put("queueEntriez", 3);
        assertThatThrownBy(() -> mapper.treeToValue(tree, IommuConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("queueEntriez");
    }

    @Test
    void shouldNameTheFieldOfAnImpossibleValue() {
        ObjectNode tree = mapper.valueToTree(IommuConfig.DEFAULT);
        ((ObjectNode) tree.get("flushQueue")).put("queueEntries", 0);
        assertThatThrownBy(() -> mapper.treeToValue(tree, IommuConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasRootCauseInstanceOf(ConfigException.class)
                .hasMessageContaining("queueEntries");
    }

    @Test
    void shouldRefuseAnIotlbWithout4KPages() {
        IommuConfig d = IommuConfig.DEFAULT;
        assertThatThrownBy(() -> new IommuConfig(new TlbConfig(64, 4, 1, "lru",
                java.util.List.of(PageSize.SIZE_2M)), d.walkCache(), 4, 100, d.iova(), d.invalidation(),
                d.flushQueue()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("iotlb.pageSizes");
    }
}
