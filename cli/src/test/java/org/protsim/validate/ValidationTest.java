package org.protsim.validate;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.CoreModel;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's bookkeeping, on experiments whose predictions are given. */
class ValidationTest {
    /** An experiment predicting {@code serial} under the serial core and {@code interval} under the other. */
    record Fixed(String id, Basis basis, double serial, double interval) implements Experiment {
        @Override
        public Published published() {
            return new Published("a figure", "ns", 90, 110, "a paper", "a machine");
        }

        @Override
        public String basisNote() {
            return "a note";
        }

        @Override
        public double bandLow() {
            return 0.8;
        }

        @Override
        public double bandHigh() {
            return 1.25;
        }

        @Override
        public double predict(CoreConfig core, boolean quick) {
            return core.model() == CoreModel.SERIAL ? serial : interval;
        }
    }

    @Test
    void shouldTakeRatiosAgainstTheMiddleOfTheRangeAndFlagOnlyCalibratedFiguresOutOfBandUnderTheDefaultCore() {
        List<Validation.Row> rows = Validation.run(List.of(
                new Fixed("in", Basis.CALIBRATED, 120, 50),      // 120 / 100 = 1.2: in; interval out
                new Fixed("out", Basis.CALIBRATED, 130, 100),    // 1.3 > 1.25: out under serial
                new Fixed("far", Basis.PREDICTED, 300, 300)), false, 2, id -> { });
        assertThat(rows.get(0).under("serial").ratio()).isEqualTo(1.2);
        assertThat(rows.get(0).under("serial").inBand()).isTrue();
        assertThat(rows.get(0).under("interval").inBand()).isFalse();
        assertThat(rows.get(1).under("serial").inBand()).isFalse();
        assertThat(rows.get(2).under("serial").ratio()).isEqualTo(3.0);
        // under serial "out" is broken; "far" is predicted, a finding not a failure; under interval "in" is
        assertThat(Validation.broken(rows, "serial")).extracting(Validation.Row::id).containsExactly("out");
        assertThat(Validation.broken(rows, "interval")).extracting(Validation.Row::id).containsExactly("in");
        String md = Validation.markdown(rows, false);
        assertThat(md).contains("| a figure | 90.0–110 ns |").contains("1.30 (out)").contains("calibrated: a note");
        assertThat(Validation.table(rows)).contains("far").contains("3.00*");
    }
}
