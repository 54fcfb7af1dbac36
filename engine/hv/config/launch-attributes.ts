// The attributes of a launch file (and of a VS Code launch configuration,
// which has the same names) and the defaults of optional ones, declared once
// for the engine's parser and the extension. package.json's launch schema
// states the same names and defaults, which a test checks. `board` defaults
// to the arch's one board.

export const LAUNCH_ATTRIBUTES = ['arch', 'board', 'cpus', 'rootZone', 'zones', 'images', 'bios', 'stopOnEntry', 'runMode', 'trace'] as const;

// `bios` boots firmware instead of images, as QEMU virt's -bios does: it takes
// the place of rootZone, zones and images, since the firmware loads what it boots.
export const FIRMWARE_EXCLUDES = ['rootZone', 'zones', 'images'] as const;

// A debug session stops on entry unless told not to.
export const LAUNCH_DEFAULTS = { cpus: 4, stopOnEntry: true, runMode: 'all', trace: false } as const;

// A zone of a launch file (rootZone, or an entry of zones) is its zone config's
// path, or an object that adds the zone's Linux boot files: the kernel command
// line, an initrd, and a device tree to use instead of the generated one (and
// instead of the zone config's dtb_filepath).
export const ZONE_ATTRIBUTES = ['config', 'bootargs', 'initrd', 'dtb'] as const;
