/**
 * Traffic control constants (linux/rtnetlink.h TCA_*, linux/pkt_sched.h): the attributes of a
 * qdisc message and the options of netem and tbf. Values are part of the kernel ABI.
 */

export const TCA_KIND = 1;
export const TCA_OPTIONS = 2;

/** tcm_parent of a root qdisc (TC_H_ROOT). */
export const TC_H_ROOT = 0xffffffff;

// TCA_OPTIONS of netem: struct tc_netem_qopt, then these attributes
export const TCA_NETEM_CORR = 1;
export const TCA_NETEM_REORDER = 3;
export const TCA_NETEM_CORRUPT = 4;
export const TCA_NETEM_RATE = 6;
export const TCA_NETEM_RATE64 = 8;
export const TCA_NETEM_LATENCY64 = 10; // ns, s64 (newer kernels dump it; tc 6.1 sends ticks)
export const TCA_NETEM_JITTER64 = 11;

// TCA_OPTIONS of tbf (nested)
export const TCA_TBF_PARMS = 1;
export const TCA_TBF_RTAB = 2;
export const TCA_TBF_RATE64 = 4;
export const TCA_TBF_BURST = 6;

/** Rate table size: 256 u32 transmit times (TC_RTAB_SIZE). */
export const TC_RTAB_SIZE = 1024;
export const TC_LINKLAYER_ETHERNET = 1;
