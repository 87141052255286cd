package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The configuration of one workload type, chosen by its {@code type} key. The workloads
 * module registers each type's record and defaults with {@link WorkloadTypes}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface WorkloadConfig {
}
