/* What an aarch64 guest of hvisor needs of it: PSCI calls over SMC (CPU_ON to
   start a CPU, SYSTEM_OFF), hvisor's own hypercalls over HVC, and
   HvZoneConfig laid out as hvisor's aarch64 build lays it out (#[repr(C)],
   3136 bytes). */
#ifndef HVISOR_H
#define HVISOR_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

/* A PSCI call (SMC calling convention): function id in x0, arguments in x1-x3,
   the result in x0. */
static inline long psci_call(u64 function, u64 arg0, u64 arg1, u64 arg2)
{
	register u64 x0 __asm__("x0") = function;
	register u64 x1 __asm__("x1") = arg0;
	register u64 x2 __asm__("x2") = arg1;
	register u64 x3 __asm__("x3") = arg2;
	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
}

#define PSCI_CPU_ON 0xc4000003UL     /* (target MPIDR, entry, context id), SMC64 */
#define PSCI_SYSTEM_OFF 0x84000008UL

/* hvisor's hypercalls: hvc with the code in x0 and arguments in x1-x2; the
   result comes back in x0, a negative errno on failure. */
enum hvisor_hypercall {
	HVISOR_HC_START_ZONE = 2,    /* (config address, config size) */
	HVISOR_HC_SHUTDOWN_ZONE = 3, /* (zone id) */
};

static inline long hvisor_call(enum hvisor_hypercall code, u64 arg0, u64 arg1)
{
	register u64 x0 __asm__("x0") = code;
	register u64 x1 __asm__("x1") = arg0;
	register u64 x2 __asm__("x2") = arg1;
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
	return (long)x0;
}

enum mem_type { MEM_TYPE_RAM = 0, MEM_TYPE_IO = 1, MEM_TYPE_VIRTIO = 2 };

struct hv_memory_region {
	u32 mem_type;
	u64 physical_start;
	u64 virtual_start;
	u64 size;
};

struct hv_ivc_config {
	u32 ivc_id;
	u32 peer_id;
	u64 control_table_ipa;
	u64 shared_mem_ipa;
	u32 rw_sec_size;
	u32 out_sec_size;
	u32 interrupt_num;
	u32 max_peers;
};

struct gicv2_config {
	u64 gicd_base, gicd_size;
	u64 gicc_base, gicc_size, gicc_offset;
	u64 gich_base, gich_size;
	u64 gicv_base, gicv_size;
};

struct gicv3_config {
	u64 gicd_base, gicd_size;
	u64 gicr_base, gicr_size;
	u64 gits_base, gits_size;
};

enum gic_version { GIC_V2 = 0, GIC_V3 = 1 };

/* A Rust enum with data: a u64 tag, then the largest variant's room. */
struct hv_arch_zone_config {
	u8 is_aarch32;
	u64 gic_version;
	union {
		struct gicv2_config v2;
		struct gicv3_config v3;
	} gic;
};

struct hv_pci_config {
	u64 ecam_base, ecam_size;
	u64 io_base, io_size, pci_io_base;
	u64 mem32_base, mem32_size, pci_mem32_base;
	u64 mem64_base, mem64_size, pci_mem64_base;
	u32 bus_range_begin, bus_range_end;
	u64 domain;
};

struct hv_pci_dev_config {
	u8 domain, bus, device, function;
	u32 dev_type;
};

struct hv_zone_config {
	u32 zone_id;
	u64 cpus; /* bit n: CPU n */
	u32 num_memory_regions;
	struct hv_memory_region memory_regions[64];
	u32 interrupts_bitmap[32];
	u32 num_ivc_configs;
	struct hv_ivc_config ivc_configs[2];
	u64 entry_point;
	u64 kernel_load_paddr;
	u64 kernel_size;
	u64 dtb_load_paddr;
	u64 dtb_size;
	char name[32];
	struct hv_arch_zone_config arch_config;
	u64 num_pci_bus;
	struct hv_pci_config pci_config[4];
	u64 num_pci_devs;
	struct hv_pci_dev_config alloc_pci_devs[32];
};

_Static_assert(sizeof(struct hv_zone_config) == 3136, "HvZoneConfig is 3136 bytes on aarch64");

#endif
