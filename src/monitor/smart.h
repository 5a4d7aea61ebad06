/*
 * smart: disk health through smartmontools' `smartctl --json -a DEVICE`.
 *
 * smart_read runs SMARTCTL (a path, or a name looked up in PATH; tests
 * put a script there that prints canned JSON) with posix_spawn (no
 * shell; stdin and stderr on /dev/null), reads its standard output up to
 * SMART_OUTPUT_MAX bytes and waits at most timeout_ms (then the child is
 * killed): a disk that hangs the bus must not hang the daemon.  smartctl
 * exits non-zero for many reasons that still print a full report, so the
 * exit status is data, not failure; smart_parse judges the JSON:
 *
 *   exit_status (smartctl.exit_status in the JSON, else the process'):
 *     bit 0  command line did not parse          -> UNKNOWN
 *     bit 1  device open failed                  -> UNKNOWN
 *     bit 2  a SMART command failed              -> UNKNOWN if no verdict
 *     bit 3  SMART status "DISK FAILING"         -> FAILING
 *     bit 4  prefail attributes <= threshold     -> FAILING
 *     bit 5  attributes <= threshold in the past -> WARNING
 *     bit 6  the error log has errors            -> WARNING
 *     bit 7  the self-test log has errors        -> WARNING
 *   smart_status.passed false                    -> FAILING
 *   ATA attribute 5 (reallocated sectors), 197 (pending) or 198
 *     (offline uncorrectable) with a raw value above 0 -> WARNING
 *   NVMe critical_warning != 0 -> FAILING; media_errors > 0 or
 *     percentage_used >= 90 -> WARNING
 * The worst verdict wins, and reason says why in one English line
 * ("SMART overall-health self-assessment failed", "12 reallocated
 * sectors").  Fields the disk does not report stay -1 (NAN for the
 * temperature).
 *
 *   struct smart_info si;
 *   r = smart_read("smartctl", "/dev/sda", 30000, &si);
 *   if (r == 0 && si.health >= SMART_WARNING) ... si.reason ...
 */
#ifndef RP_SMART_H
#define RP_SMART_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/monitor.h"

#define SMART_OUTPUT_MAX ((size_t)1 << 20)
#define SMART_TIMEOUT_MS 30000
#define SMART_DEFAULT_CMD "smartctl"

enum smart_health {
	SMART_OK = 0,
	SMART_WARNING = 1,
	SMART_FAILING = 2,
	SMART_UNKNOWN = 3,   /* could not be read */
};

enum smart_exit_bits {
	SMART_EXIT_CMDLINE = 1 << 0,
	SMART_EXIT_OPEN = 1 << 1,
	SMART_EXIT_COMMAND = 1 << 2,
	SMART_EXIT_FAILING = 1 << 3,
	SMART_EXIT_PREFAIL = 1 << 4,
	SMART_EXIT_PAST = 1 << 5,
	SMART_EXIT_ERRLOG = 1 << 6,
	SMART_EXIT_SELFTEST = 1 << 7,
};

struct smart_info {
	enum smart_health health;
	char reason[256];          /* why not OK ("" when OK) */
	int exit_status;           /* the bits above */
	int passed;                /* smart_status.passed: 1, 0, -1 unknown */
	char model[64], serial[64];
	double temperature;        /* temperature.current, degrees; NAN */
	int64_t power_on_hours;    /* power_on_time.hours */
	int64_t reallocated;       /* ATA 5 raw */
	int64_t pending;           /* ATA 197 raw */
	int64_t uncorrectable;     /* ATA 198 raw */
	int64_t nvme_critical_warning, nvme_percentage_used,
		nvme_media_errors;
};

/* smart_parse: judges smartctl's JSON p[0..n) (not NUL-terminated) and
 * the process' exit status (used when the JSON has none).  0 (a verdict
 * in *out, maybe UNKNOWN), or RP_EFORMAT (not JSON: *out is UNKNOWN with
 * the reason). */
int smart_parse(const uint8_t *p, size_t n, int exit_status,
		struct smart_info *out);

/* smart_read: runs `smartctl --json -a device` and parses it.  smartctl
 * NULL: SMART_DEFAULT_CMD; timeout_ms <= 0: SMART_TIMEOUT_MS.  0 (a
 * verdict), RP_ENOTFOUND (no such program), RP_ECMD (killed by a signal,
 * timed out, or no JSON at all: out->reason says which), RP_ENOMEM (more
 * than SMART_OUTPUT_MAX of output), RP_EINVAL (device NULL or starting
 * with '-'), RP_EIO. */
int smart_read(const char *smartctl, const char *device, int timeout_ms,
	       struct smart_info *out);

/* smart_health_name: "ok", "warning", "failing", "unknown". */
const char *smart_health_name(enum smart_health h);

/* smart_samples: smart_health, smart_temp_celsius, smart_power_on_hours,
 * smart_reallocated_sectors, smart_pending_sectors, nvme_percentage_used,
 * nvme_media_errors for the device (those known).  0 or the first error
 * of monitor_samples_add. */
int smart_samples(const char *device, const struct smart_info *si,
		  struct monitor_samples *out);

#endif
