/*
 * sysfs: temperatures and fans, read straight from the kernel's hwmon and
 * thermal classes (no libsensors: it hard-codes /sys, so tests could not
 * give it a fake tree).
 *
 * Under ROOT (default "/sys"):
 *
 *   class/hwmon/hwmonN/name               the chip ("coretemp", "nct6775")
 *   class/hwmon/hwmonN/tempK_input        milli-degrees Celsius
 *   class/hwmon/hwmonN/tempK_{label,crit,max}
 *   class/hwmon/hwmonN/fanK_input         RPM
 *   class/hwmon/hwmonN/fanK_{label,min}
 *   class/thermal/thermal_zoneN/{type,temp}          (temp in m°C)
 *   class/thermal/thermal_zoneN/trip_point_J_{temp,type}
 *
 * Each sensor gets a stable ID "CHIP/INPUT" ("coretemp/temp1",
 * "nct6775/fan2", "thermal/zone0"): the chip's name, not hwmonN, whose
 * number changes with the order drivers load.  A second chip of the same
 * name (two CPU sockets) is "coretemp-1", numbered in hwmonN order.  A
 * thermal zone's critical trip point is its crit, its hot one (else its
 * passive one) its max.  A thermal zone that repeats a hwmon sensor is
 * left out: one that registered its own hwmon chip (a chip named after the
 * zone's type, as acpitz often does), and x86_pkg_temp when coretemp is
 * there (the same package sensor, read through another driver).  An
 * input that cannot be read (a disconnected sensor gives EIO or ENODATA)
 * is skipped; a threshold that cannot be read is NAN.  Nothing is
 * written.  Sensors come in hwmonN order, then temperatures and fans in K
 * order, then thermal zones in N order.
 *
 * Bounds: SYSFS_MAX_SENSORS sensors, each file read at most 128 bytes, a
 * label cut to SENSOR_LABEL_MAX - 1 bytes with control characters made
 * '?'; a chip name keeps [A-Za-z0-9_.-] and other bytes become '_'.
 *
 *   struct sensor *v; size_t n;
 *   if (sysfs_read_sensors("/sys", &v, &n) == 0) { ...; free(v); }
 */
#ifndef RP_SYSFS_H
#define RP_SYSFS_H

#include <stddef.h>

#include "monitor/monitor.h"

#define SYSFS_ROOT_DEFAULT "/sys"
#define SYSFS_MAX_SENSORS 1024
#define SENSOR_ID_MAX 64
#define SENSOR_CHIP_MAX 40
#define SENSOR_LABEL_MAX 64

enum sensor_kind {
	SENSOR_TEMP = 1,   /* degrees Celsius */
	SENSOR_FAN,        /* RPM */
};

struct sensor {
	enum sensor_kind kind;
	char id[SENSOR_ID_MAX];        /* "coretemp/temp1" */
	char chip[SENSOR_CHIP_MAX];    /* "coretemp" (with -N when repeated) */
	char label[SENSOR_LABEL_MAX];  /* "Package id 0", else "temp1" */
	double value;                  /* degrees Celsius or RPM */
	double crit, max;              /* temp: degrees; NAN when absent */
	double min;                    /* fan: RPM; NAN when absent */
};

/* sysfs_read_sensors: every sensor under root (NULL: "/sys").  *v is a
 * new array (free()) of *n sensors, NULL when there are none, which is
 * also the answer when class/hwmon and class/thermal do not exist (a
 * virtual machine).  0, RP_ENOTFOUND (root itself does not exist),
 * RP_ENOMEM (more than SYSFS_MAX_SENSORS), RP_EIO (a directory that exists
 * cannot be listed). */
int sysfs_read_sensors(const char *root, struct sensor **v, size_t *n);

/* sysfs_sensor_name: a name for people, into out: "CPU package" (coretemp
 * "Package id 0", thermal zone x86_pkg_temp), "CPU package 1", "CPU core
 * 3" ("CPU 1 core 3" on a second coretemp chip), "CPU" (k10temp Tctl/Tdie,
 * cpu_thermal; "CPU 1" on a second chip), "NVMe disk" ("NVMe disk 1"),
 * else the label, prefixed by the chip when the label is only the input
 * name ("nct6775 fan2"), followed by the chip when the chip is a repeated
 * one ("SYSTIN (nct6775-1)").  The words go through tr.  Names differ
 * between the sensors of one sysfs_read_sensors in the usual cases, not
 * by construction (two chips could give the same label): the ID is the
 * key. */
void sysfs_sensor_name(const struct sensor *s, monitor_tr_fn tr, char *out,
		       size_t outlen);

/* sysfs_is_cpu: 1 when the sensor measures a CPU (coretemp, k10temp,
 * zenpower, cpu_thermal, thermal zones x86_pkg_temp / cpu*), which has a
 * default limit when the hardware gives none. */
int sysfs_is_cpu(const struct sensor *s);

/* sysfs_samples: temp_celsius / fan_rpm rows of v[0..n) into out.  0 or
 * the first error of monitor_samples_add. */
int sysfs_samples(const struct sensor *v, size_t n,
		  struct monitor_samples *out);

#endif
