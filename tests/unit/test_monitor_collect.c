/*
 * test_monitor_collect: the collectors against fixtures: the static fake
 * sysfs tree tests/data/sysfs, the tree scripts/mkfake-sysfs.sh makes, a
 * fake /proc written here, canned smartctl reports printed by
 * tests/data/smartctl/fake-smartctl.sh, and snapshot ages from an
 * in-memory catalog.  The fixtures are found from $top, else from this
 * program's path (O/tests/test_monitor_collect).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "monitor/freshness.h"
#include "monitor/monitor.h"
#include "monitor/smart.h"
#include "monitor/sys.h"
#include "monitor/sysfs.h"
#include "util/err.h"
#include "util/fsx.h"

static char top[PATH_MAX];
static char scratch[PATH_MAX];

#define PATHBUF (2 * PATH_MAX + 2)

/* join: dir/rel into out[PATHBUF]; returns out. */
static const char *join(char *out, const char *dir, const char *rel)
{
	int n = snprintf(out, PATHBUF, "%s/%s", dir, rel);

	assert_true(n > 0 && n < PATHBUF);
	return out;
}

/* path_in: dir/rel into one of four static buffers, used in turn. */
static const char *path_in(const char *dir, const char *rel)
{
	static char p[4][PATHBUF];
	static unsigned k;

	return join(p[k++ % 4], dir, rel);
}

static void put_file(const char *rel, const char *text)
{
	char path[2 * PATH_MAX + 2], dir[2 * PATH_MAX + 2];

	snprintf(path, sizeof(path), "%s/%s", scratch, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(fsx_mkdir_p(dir, 0755), 0);
	assert_int_equal(fsx_write_atomic(path, text, strlen(text), 0644,
					  FSX_NOSYNC), 0);
}

static double dabs(double a)
{
	return a < 0 ? -a : a;
}

/* ---- sysfs ------------------------------------------------------------ */

static const struct {
	const char *id, *chip, *label, *name;
	enum sensor_kind kind;
	double value, crit, max, min;
	int cpu;
} want_sensors[] = {
	{ "coretemp/temp1", "coretemp", "Package id 0", "CPU package",
	  SENSOR_TEMP, 71, 100, 80, NAN, 1 },
	{ "coretemp/temp2", "coretemp", "Core 0", "CPU core 0",
	  SENSOR_TEMP, 43, 100, NAN, NAN, 1 },
	{ "coretemp/temp10", "coretemp", "Core 8", "CPU core 8",
	  SENSOR_TEMP, 45, NAN, NAN, NAN, 1 },
	{ "nct6775/temp1", "nct6775", "SYSTIN", "SYSTIN",
	  SENSOR_TEMP, 38.5, NAN, NAN, NAN, 0 },
	{ "nct6775/fan1", "nct6775", "CPU fan", "CPU fan",
	  SENSOR_FAN, 1234, NAN, NAN, 300, 0 },
	{ "nct6775/fan2", "nct6775", "fan2", "nct6775 fan2",
	  SENSOR_FAN, 0, NAN, NAN, NAN, 0 },
	{ "coretemp-1/temp1", "coretemp-1", "Package id 1", "CPU package 1",
	  SENSOR_TEMP, 52, NAN, 85, NAN, 1 },
	{ "coretemp-1/temp2", "coretemp-1", "Core 0", "CPU 1 core 0",
	  SENSOR_TEMP, 50, NAN, NAN, NAN, 1 },
	{ "iwlwifi_1/temp1", "iwlwifi_1", "temp1", "iwlwifi_1 temp1",
	  SENSOR_TEMP, 41, NAN, NAN, NAN, 0 },
	{ "nvme/temp1", "nvme", "Composite", "NVMe disk",
	  SENSOR_TEMP, 35.85, 84.85, 81.85, NAN, 0 },
	/* zone0 (x86_pkg_temp: coretemp has it) and zone2 (its own hwmon
	 * chip) are left out */
	{ "thermal/zone1", "thermal", "acpitz", "acpitz",
	  SENSOR_TEMP, 27.8, 105, 100, NAN, 0 },
	{ "thermal/zone3", "thermal", "pch_cannonlake", "pch_cannonlake",
	  SENSOR_TEMP, 44.5, NAN, 80, NAN, 0 },
};

/* same: equal, or both NAN. */
static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || dabs(a - b) < 1e-9;
}

static void test_sysfs__static_tree(void **state)
{
	struct sensor *v;
	char name[64];
	size_t n, i;

	(void)state;
	assert_int_equal(sysfs_read_sensors(path_in(top, "tests/data/sysfs"),
					    &v, &n), 0);
	assert_int_equal(n, sizeof(want_sensors) / sizeof(want_sensors[0]));
	for (i = 0; i < n; i++) {
		assert_string_equal(v[i].id, want_sensors[i].id);
		assert_string_equal(v[i].chip, want_sensors[i].chip);
		assert_string_equal(v[i].label, want_sensors[i].label);
		assert_int_equal(v[i].kind, want_sensors[i].kind);
		if (!same(v[i].value, want_sensors[i].value) ||
		    !same(v[i].crit, want_sensors[i].crit) ||
		    !same(v[i].max, want_sensors[i].max) ||
		    !same(v[i].min, want_sensors[i].min))
			fail_msg("%s: %g crit %g max %g min %g", v[i].id,
				 v[i].value, v[i].crit, v[i].max, v[i].min);
		sysfs_sensor_name(&v[i], NULL, name, sizeof(name));
		assert_string_equal(name, want_sensors[i].name);
		assert_int_equal(sysfs_is_cpu(&v[i]), want_sensors[i].cpu);
	}
	free(v);
}

static void test_sysfs__missing(void **state)
{
	struct sensor *v = (struct sensor *)1;
	size_t n = 7;

	(void)state;
	assert_int_equal(sysfs_read_sensors(path_in(scratch, "nope"), &v, &n),
			 RP_ENOTFOUND);
	assert_null(v);
	assert_int_equal(n, 0);
	/* a root without hwmon or thermal (this VM's /sys): no sensors */
	put_file("emptysys/class/net/lo/mtu", "65536\n");
	v = (struct sensor *)1;
	assert_int_equal(sysfs_read_sensors(path_in(scratch, "emptysys"), &v,
					    &n), 0);
	assert_null(v);
	assert_int_equal(n, 0);
	/* the real /sys never fails, whatever it holds */
	assert_int_equal(sysfs_read_sensors(NULL, &v, &n), 0);
	free(v);
}

static void test_sysfs__mkfake_script(void **state)
{
	char cmd[4 * PATHBUF], root[PATHBUF], script[PATHBUF];
	struct sensor *v;
	size_t n;
	int len;

	(void)state;
	join(root, scratch, "fake");
	join(script, top, "scripts/mkfake-sysfs.sh");
	len = snprintf(cmd, sizeof(cmd), "sh '%s' '%s' && sh '%s' -u '%s' "
		       "cpu=71.5 fan=0", script, root, script, root);
	assert_true(len > 0 && (size_t)len < sizeof(cmd));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sysfs_read_sensors(root, &v, &n), 0);
	/* its x86_pkg_temp zone repeats coretemp's package: left out */
	assert_int_equal(n, 5);
	assert_string_equal(v[0].id, "coretemp/temp1");
	assert_true(v[0].value == 71.5 && v[0].crit == 90);
	assert_string_equal(v[1].id, "coretemp/temp2");
	assert_true(v[1].value == 69.5);
	assert_string_equal(v[2].id, "nct6775/temp1");
	assert_string_equal(v[3].id, "nct6775/fan1");
	assert_true(v[3].value == 0 && v[3].min == 300);
	assert_string_equal(v[4].id, "nct6775/fan2");
	free(v);
	/* a bad value is refused and changes nothing */
	len = snprintf(cmd, sizeof(cmd), "sh '%s' -u '%s' cpu=hot "
		       "2>/dev/null", script, root);
	assert_true(len > 0 && (size_t)len < sizeof(cmd));
	assert_int_not_equal(system(cmd), 0);
}

static void test_sysfs__samples(void **state)
{
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	struct sensor *v;
	size_t n;

	(void)state;
	assert_int_equal(sysfs_read_sensors(path_in(top, "tests/data/sysfs"),
					    &v, &n), 0);
	assert_int_equal(sysfs_samples(v, n, &s), 0);
	assert_int_equal(s.n, n);
	assert_string_equal(s.v[0].metric, "temp_celsius");
	assert_string_equal(s.v[0].labels, "sensor=\"coretemp/temp1\"");
	assert_true(s.v[0].value == 71);
	assert_string_equal(s.v[4].metric, "fan_rpm");
	assert_string_equal(s.v[4].labels, "sensor=\"nct6775/fan1\"");
	monitor_samples_release(&s);
	free(v);
}

/* ---- labels and sample batches ---------------------------------------- */

static void test_monitor__labels(void **state)
{
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	char l[32], big[MONITOR_METRIC_MAX + 1];

	(void)state;
	assert_int_equal(monitor_label(l, sizeof(l), "k", "a\"b\\c\nd"), 0);
	assert_string_equal(l, "k=\"a\\\"b\\\\c\\nd\"");
	assert_int_equal(monitor_label2(l, sizeof(l), "job", "db", "repo",
					"nas"), 0);
	assert_string_equal(l, "job=\"db\",repo=\"nas\"");
	/* too long: refused, never cut (a cut label is another series) */
	assert_int_equal(monitor_label(l, 8, "mount", "/"), RP_EINVAL);
	assert_string_equal(l, "");
	assert_int_equal(monitor_label2(l, 16, "job", "db", "repo", "nas"),
			 RP_EINVAL);
	assert_string_equal(l, "");
	assert_int_equal(monitor_samples_add(&s, "load1", "", NAN), RP_EINVAL);
	assert_int_equal(monitor_samples_add(&s, "", "", 1), RP_EINVAL);
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(monitor_samples_add(&s, big, "", 1), RP_EINVAL);
	assert_int_equal(monitor_samples_add(&s, "load1", NULL, 0.5), 0);
	assert_string_equal(s.v[0].labels, "");
	monitor_samples_release(&s);
	assert_int_equal(s.n, 0);
}

/* ---- filesystems, load, memory ---------------------------------------- */

static void fake_proc(void)
{
	char mounts[2 * PATH_MAX + 512];

	assert_int_equal(fsx_mkdir_p(path_in(scratch, "with space"), 0755),
			 0);
	snprintf(mounts, sizeof(mounts),
		 "proc /proc proc rw,relatime 0 0\n"
		 "/dev/vda / ext4 rw,relatime 0 0\n"
		 "/dev/vda /bound/again ext4 rw,relatime 0 0\n"
		 "tmpfs /dev/shm tmpfs rw 0 0\n"
		 "/dev/sdz1 %s/with\\040space ext4 rw 0 0\n"
		 "/dev/sdy1 /nonexistent/mount ext4 rw 0 0\n"
		 "server:/export /mnt/nfs nfs4 rw 0 0\n"
		 "short line\n"
		 "\n", scratch);
	put_file("proc/mounts", mounts);
	put_file("proc/loadavg", "0.52 1.25 10.00 1/389 12345\n");
	put_file("proc/meminfo", "MemTotal:       24731708 kB\n"
		 "MemFree:        23289348 kB\n"
		 "MemAvailable:   24129796 kB\n"
		 "SwapTotal:            0 kB\n"
		 "SwapFree:             0 kB\n");
}

static void test_sys__filesystems(void **state)
{
	char want[2 * PATH_MAX];
	struct sys_fs *v, one;
	size_t n;

	(void)state;
	fake_proc();
	assert_int_equal(sys_filesystems(path_in(scratch, "proc"), &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].mount, "/");
	assert_string_equal(v[0].device, "/dev/vda");
	assert_string_equal(v[0].type, "ext4");
	assert_true(v[0].size > 0 && v[0].avail <= v[0].size);
	assert_true(v[0].used <= v[0].size);
	snprintf(want, sizeof(want), "%s/with space", scratch);
	assert_string_equal(v[1].mount, want);
	assert_string_equal(v[1].device, "/dev/sdz1");
	assert_true(sys_fs_percent(&v[0]) >= 0 &&
		    sys_fs_percent(&v[0]) <= 100);
	free(v);
	/* the real mount table has at least the root */
	assert_int_equal(sys_filesystems(NULL, &v, &n), 0);
	assert_true(n >= 1);
	free(v);
	assert_int_equal(sys_filesystems(path_in(scratch, "nope"), &v, &n),
			 RP_ENOTFOUND);
	assert_int_equal(sys_fs_stat("/nonexistent/x", &one), RP_ENOTFOUND);
	assert_int_equal(sys_fs_stat(scratch, &one), 0);
	assert_string_equal(one.mount, scratch);
	assert_true(one.size > 0);
}

static void test_sys__percent(void **state)
{
	struct sys_fs fs = { .used = 92, .avail = 8, .size = 105 };

	(void)state;
	/* as df: the reserve (size - used - avail) counts as unavailable */
	assert_true(sys_fs_percent(&fs) == 92);
	fs.used = fs.avail = 0;
	assert_true(sys_fs_percent(&fs) == 0);
}

static void test_sys__load_and_memory(void **state)
{
	struct sys_load l;
	struct sys_mem m;
	char procdir[PATHBUF];

	(void)state;
	fake_proc();
	join(procdir, scratch, "proc");
	assert_int_equal(sys_read_load(procdir, &l), 0);
	assert_true(l.load1 == 0.52 && l.load5 == 1.25 && l.load15 == 10);
	/* the decimal point does not follow LC_NUMERIC */
	if (setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		assert_int_equal(sys_read_load(procdir, &l), 0);
		assert_true(l.load1 == 0.52);
		setlocale(LC_NUMERIC, "C");
	}
	assert_int_equal(sys_read_mem(procdir, &m), 0);
	assert_true(m.total == 24731708ull * 1024);
	assert_true(m.available == 24129796ull * 1024);
	assert_true(m.swap_total == 0);
	put_file("proc/loadavg", "high\n");
	assert_int_equal(sys_read_load(procdir, &l), RP_EFORMAT);
	put_file("proc/loadavg", "1.5 2,5 3\n");
	assert_int_equal(sys_read_load(procdir, &l), RP_EFORMAT);
	put_file("proc/meminfo", "MemTotal: 1000 kB\n");
	assert_int_equal(sys_read_mem(procdir, &m), RP_EFORMAT);
	assert_int_equal(sys_read_load(path_in(scratch, "nope"), &l),
			 RP_ENOTFOUND);
	/* the real ones */
	assert_int_equal(sys_read_load(NULL, &l), 0);
	assert_int_equal(sys_read_mem(NULL, &m), 0);
	assert_true(m.total > 0 && m.available <= m.total);
}

static void test_sys__caps(void **state)
{
	struct sys_fs *v;
	size_t n;
	char *big = malloc(SYS_FILE_MAX + 2);

	(void)state;
	memset(big, 'x', SYS_FILE_MAX + 1);
	big[SYS_FILE_MAX + 1] = '\0';
	put_file("bigproc/mounts", big);
	assert_int_equal(sys_filesystems(path_in(scratch, "bigproc"), &v, &n),
			 RP_ENOMEM);
	assert_null(v);
	free(big);
}

static void test_sys__samples(void **state)
{
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	struct sys_fs fs = { .mount = "/", .size = 100, .avail = 8,
			     .used = 92 };
	struct sys_load l = { 0.5, 1, 2 };
	struct sys_mem m = { 1000, 400, 0, 0 };

	(void)state;
	assert_int_equal(sys_fs_samples(&fs, 1, &s), 0);
	assert_int_equal(sys_load_samples(&l, &s), 0);
	assert_int_equal(sys_mem_samples(&m, &s), 0);
	assert_int_equal(s.n, 8);
	assert_string_equal(s.v[2].metric, "fs_used_bytes");
	assert_string_equal(s.v[2].labels, "mount=\"/\"");
	assert_true(s.v[2].value == 92);
	assert_string_equal(s.v[5].metric, "load15");
	assert_string_equal(s.v[7].metric, "mem_available_bytes");
	monitor_samples_release(&s);
}

/* ---- SMART ------------------------------------------------------------ */

static char fake_smartctl[PATH_MAX + 64];

static const char *fixture(const char *name)
{
	static char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/tests/data/smartctl/%s", top, name);
	return p;
}

static void test_smart__fixtures(void **state)
{
	static const struct {
		const char *file;
		enum smart_health health;
		const char *reason;
		int exit_status, passed;
		double temp;
		int64_t realloc, pending, poh, pct_used;
	} cases[] = {
		{ "healthy-ata.json", SMART_OK, "", 0, 1, 36, 0, 0, 21234,
		  -1 },
		{ "failing-ata.json", SMART_FAILING,
		  "SMART overall-health self-assessment failed", 24, 0, 41,
		  3912, 48, 40012, -1 },
		{ "reallocated-ata.json", SMART_WARNING,
		  "12 reallocated sectors", 0, 1, 29, 12, -1, 20111, -1 },
		{ "errlog-ata.json", SMART_WARNING,
		  "the device error log has errors", 64, 1, 33, 0, -1, 912,
		  -1 },
		{ "healthy-nvme.json", SMART_OK, "", 0, 1, 38, -1, -1, 8123,
		  3 },
		{ "worn-nvme.json", SMART_WARNING, "2 media errors", 0, 1, 45,
		  -1, -1, 30123, 95 },
		{ "open-failed.json", SMART_UNKNOWN,
		  "/dev/vda: Unable to detect device type", 1, -1, NAN, -1,
		  -1, -1, -1 },
	};
	struct smart_info si;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(smart_read(fake_smartctl,
					    fixture(cases[i].file), 5000,
					    &si), 0);
		if (si.health != cases[i].health)
			fail_msg("%s: health %d (%s)", cases[i].file,
				 si.health, si.reason);
		assert_string_equal(si.reason, cases[i].reason);
		assert_int_equal(si.exit_status, cases[i].exit_status);
		assert_int_equal(si.passed, cases[i].passed);
		assert_true(same(si.temperature, cases[i].temp));
		assert_int_equal(si.reallocated, cases[i].realloc);
		assert_int_equal(si.pending, cases[i].pending);
		assert_int_equal(si.power_on_hours, cases[i].poh);
		assert_int_equal(si.nvme_percentage_used, cases[i].pct_used);
	}
	smart_read(fake_smartctl, fixture("healthy-ata.json"), 0, &si);
	assert_string_equal(si.model, "WDC WD40EFRX-68N32N0");
	assert_string_equal(si.serial, "WD-WCC7K0000001");
}

static void test_smart__exit_bits(void **state)
{
	/* a report without smartctl.exit_status: the process' status counts */
	static const char json[] = "{\"smart_status\": {\"passed\": true}}";
	static const struct {
		int status;
		enum smart_health health;
		const char *reason;
	} cases[] = {
		{ 0, SMART_OK, "" },
		{ 1 << 0, SMART_UNKNOWN,
		  "smartctl did not accept the command line" },
		{ 1 << 1, SMART_UNKNOWN, "device open failed" },
		{ 1 << 2, SMART_OK, "" },   /* a verdict was still read */
		{ 1 << 3, SMART_FAILING, "SMART status: disk failing" },
		{ 1 << 4, SMART_FAILING,
		  "pre-failure attributes at or below threshold" },
		{ 1 << 5, SMART_WARNING,
		  "attributes were at or below threshold in the past" },
		{ 1 << 6, SMART_WARNING, "the device error log has errors" },
		{ 1 << 7, SMART_WARNING, "the self-test log has errors" },
		{ (1 << 7) | (1 << 3), SMART_FAILING,
		  "SMART status: disk failing" },
	};
	struct smart_info si;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(smart_parse((const uint8_t *)json,
					     strlen(json), cases[i].status,
					     &si), 0);
		assert_int_equal(si.health, cases[i].health);
		assert_string_equal(si.reason, cases[i].reason);
	}
	/* no verdict at all, with a failed SMART command */
	assert_int_equal(smart_parse((const uint8_t *)"{}", 2, 4, &si), 0);
	assert_int_equal(si.health, SMART_UNKNOWN);
	assert_string_equal(si.reason, "a SMART command failed");
	assert_int_equal(smart_parse((const uint8_t *)"[1]", 3, 0, &si),
			 RP_EFORMAT);
	assert_int_equal(si.health, SMART_UNKNOWN);
	/* the fixture script's own status is data as well */
	setenv("FAKE_SMARTCTL_STATUS", "8", 1);
	assert_int_equal(smart_read(fake_smartctl,
				    fixture("open-failed.json"), 5000, &si),
			 0);
	unsetenv("FAKE_SMARTCTL_STATUS");
	assert_int_equal(si.exit_status, 1);  /* the JSON's own wins */
	assert_string_equal(smart_health_name(SMART_FAILING), "failing");
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_smart__defences(void **state)
{
	struct smart_info si;
	int64_t t0;

	(void)state;
	/* a disk that hangs the bus: killed at the timeout */
	t0 = mono_ms();
	assert_int_equal(smart_read(fake_smartctl, "hang", 300, &si),
			 RP_ECMD);
	assert_true(mono_ms() - t0 < 5000);
	assert_int_equal(si.health, SMART_UNKNOWN);
	assert_non_null(strstr(si.reason, "timed out after 300 ms"));
	/* endless output: cut at the cap */
	assert_int_equal(smart_read(fake_smartctl, "flood", 5000, &si),
			 RP_ENOMEM);
	assert_non_null(strstr(si.reason, "more than 1048576 bytes"));
	assert_int_equal(smart_read(fake_smartctl, "nojson", 5000, &si),
			 RP_ECMD);
	assert_string_equal(si.reason, "smartctl's output is not JSON");
	assert_int_equal(smart_read(fake_smartctl, "signal", 5000, &si),
			 RP_ECMD);
	assert_non_null(strstr(si.reason, "killed by a signal"));
	assert_int_equal(smart_read(path_in(scratch, "no-smartctl"),
				    "/dev/sda", 5000, &si), RP_ENOTFOUND);
	assert_int_equal(smart_read(fake_smartctl, "--scan", 5000, &si),
			 RP_EINVAL);
	assert_int_equal(smart_read(fake_smartctl, NULL, 5000, &si),
			 RP_EINVAL);
}

static void test_smart__samples(void **state)
{
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	struct smart_info si;

	(void)state;
	smart_read(fake_smartctl, fixture("failing-ata.json"), 5000, &si);
	assert_int_equal(smart_samples("/dev/sdb", &si, &s), 0);
	/* health, temperature, hours, reallocated, pending (no NVMe) */
	assert_int_equal(s.n, 5);
	assert_string_equal(s.v[0].metric, "smart_health");
	assert_string_equal(s.v[0].labels, "device=\"/dev/sdb\"");
	assert_true(s.v[0].value == SMART_FAILING);
	assert_string_equal(s.v[3].metric, "smart_reallocated_sectors");
	assert_true(s.v[3].value == 3912);
	monitor_samples_release(&s);
}

/* ---- snapshot freshness ----------------------------------------------- */

static void test_freshness__ages(void **state)
{
	struct plan_repository repos[2] = { 0 };
	struct plan_repository *jr[2] = { &repos[0], &repos[1] };
	struct plan_job job = { 0 };
	struct plan plan = { 0 };
	struct catalog *cat;
	struct catalog_snapshot snap = { 0 };
	struct freshness *v;
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	size_t n;

	(void)state;
	repos[0].name = (char *)"nas";
	repos[0].url = (char *)"/srv/backup";
	repos[1].name = (char *)"cloud";
	repos[1].url = (char *)"s3:https://s3.example/bucket";
	job.name = (char *)"files";
	job.repos = jr;
	job.nrepos = 2;
	plan.jobs = &job;
	plan.njobs = 1;
	assert_int_equal(catalog_open(":memory:", &cat), 0);
	snap.repo = "/srv/backup";
	snap.id = "0123456789abcdef0123456789abcdef"
		  "0123456789abcdef0123456789abcdef";
	snap.time = 1750000000 - 3600;
	snap.job = "files";
	assert_int_equal(catalog_snapshot_add(cat, &snap), 0);
	assert_int_equal(freshness_collect(cat, &plan, 1750000000, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].job, "files");
	assert_string_equal(v[0].repo, "nas");
	assert_true(v[0].newest == 1750000000 - 3600 && v[0].age == 3600);
	assert_string_equal(v[1].repo, "cloud");
	assert_true(v[1].newest == 0 && v[1].age == -1);
	assert_int_equal(freshness_samples(v, n, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].metric, "snapshot_age_seconds");
	assert_string_equal(s.v[0].labels, "job=\"files\",repo=\"nas\"");
	assert_true(s.v[0].value == 3600);
	monitor_samples_release(&s);
	free(v);
	/* a plan without jobs */
	plan.njobs = 0;
	assert_int_equal(freshness_collect(cat, &plan, 1750000000, &v, &n), 0);
	assert_null(v);
	assert_int_equal(n, 0);
	catalog_close(cat);
}

/* ---- set-up ----------------------------------------------------------- */

/* find_top: $top, else three levels above this program (O/tests/x). */
static int find_top(const char *argv0)
{
	const char *e = getenv("top");
	char buf[PATH_MAX], *p;
	int i;

	if (e && *e) {
		snprintf(top, sizeof(top), "%s", e);
		return 0;
	}
	if (!realpath(argv0, buf))
		return -1;
	for (i = 0; i < 3; i++) {
		if (!(p = strrchr(buf, '/')))
			return -1;
		*p = '\0';
	}
	snprintf(top, sizeof(top), "%s", buf);
	return 0;
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(scratch, sizeof(scratch), "%s/test_monitor_collect.XXXXXX",
		 tmp ? tmp : "/tmp");
	snprintf(fake_smartctl, sizeof(fake_smartctl),
		 "%s/tests/data/smartctl/fake-smartctl.sh", top);
	return mkdtemp(scratch) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fsx_remove_tree(scratch) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysfs__static_tree),
		cmocka_unit_test(test_sysfs__missing),
		cmocka_unit_test(test_sysfs__mkfake_script),
		cmocka_unit_test(test_sysfs__samples),
		cmocka_unit_test(test_monitor__labels),
		cmocka_unit_test(test_sys__filesystems),
		cmocka_unit_test(test_sys__percent),
		cmocka_unit_test(test_sys__load_and_memory),
		cmocka_unit_test(test_sys__caps),
		cmocka_unit_test(test_sys__samples),
		cmocka_unit_test(test_smart__fixtures),
		cmocka_unit_test(test_smart__exit_bits),
		cmocka_unit_test(test_smart__defences),
		cmocka_unit_test(test_smart__samples),
		cmocka_unit_test(test_freshness__ages),
	};

	(void)argc;
	if (find_top(argv[0]) < 0) {
		fprintf(stderr, "test_monitor_collect: cannot find the source "
			"tree (set $top)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
