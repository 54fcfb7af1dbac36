/* What a riscv64 guest of hvisor needs of it: SBI calls (HSM to start a hart,
   SRST to power off), hvisor's own hypercalls, and HvZoneConfig laid out as
   hvisor's riscv64 build lays it out (#[repr(C)], 3080 bytes). */
#ifndef HVISOR_H
#define HVISOR_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

struct sbi_ret {
	long error;
	long value;
};

/* An SBI call: a7 = extension, a6 = function, arguments in a0-a2. */
static inline struct sbi_ret sbi_call(long eid, long fid, long arg0, long arg1, long arg2)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a2 __asm__("a2") = arg2;
	register long a6 __asm__("a6") = fid;
	register long a7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
	return (struct sbi_ret){ a0, a1 };
}

#define SBI_EXT_HSM 0x48534d	/* fid 0: hart_start(hartid, entry, opaque) */
#define SBI_EXT_SRST 0x53525354 /* fid 0: system_reset(type, reason) */

/* hvisor's hypercalls are SBI calls to its own extension, the code in a0. */
#define SBI_EXT_HVISOR 0x114514
enum hvisor_hypercall {
	HVISOR_HC_START_ZONE = 2,    /* (config address, config size) */
	HVISOR_HC_SHUTDOWN_ZONE = 3, /* (zone id) */
};

static inline struct sbi_ret hvisor_call(enum hvisor_hypercall code, u64 arg0, u64 arg1)
{
	return sbi_call(SBI_EXT_HVISOR, 0, (long)code, (long)arg0, (long)arg1);
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

struct hv_arch_zone_config {
	u64 plic_base;
	u64 plic_size;
	u64 aplic_base;
	u64 aplic_size;
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

_Static_assert(sizeof(struct hv_zone_config) == 3080, "HvZoneConfig is 3080 bytes on riscv64");

#endif
