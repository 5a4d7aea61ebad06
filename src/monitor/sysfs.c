/*
 * sysfs: hwmon and thermal-zone reader (see sysfs.h).
 *
 * Every directory is opened once and its attributes are read with openat,
 * so a path is built only per directory.  Directory listings are sorted
 * numerically (hwmon2 before hwmon10) so IDs and order do not depend on
 * readdir's order.
 */
#include "monitor/sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/xmalloc.h"

#define ATTR_MAX 128       /* bytes read from one attribute */
#define LIST_MAX 4096      /* entries kept from one directory */
#define CHIPS_MAX 256      /* distinct chip names tracked for -N */

struct sensors {
	struct sensor *v;
	size_t n, cap;
};

/* A numbered directory entry: hwmon3, temp2_input, thermal_zone1. */
struct entry {
	int kind;
	unsigned k;
};

struct chip_names {
	char name[CHIPS_MAX][SENSOR_CHIP_MAX];
	unsigned seen[CHIPS_MAX];
	size_t n;
};

/* read_attr: the attribute's text, trailing white space removed.  0, or
 * -1 when it is missing, unreadable or empty. */
static int read_attr(int dfd, const char *name, char *buf, size_t n)
{
	ssize_t got;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	do
		got = read(fd, buf, n - 1);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got <= 0)
		return -1;
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' ' ||
			   buf[got - 1] == '\t' || buf[got - 1] == '\r'))
		got--;
	buf[got] = '\0';
	return got ? 0 : -1;
}

/* read_num: an integer attribute.  0 or -1 (missing, unreadable, junk). */
static int read_num(int dfd, const char *name, long long *v)
{
	char buf[ATTR_MAX], *end;

	if (read_attr(dfd, name, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return errno || end == buf || *end ? -1 : 0;
}

/* read_scaled: an integer attribute divided by scale, or NAN. */
static double read_scaled(int dfd, const char *name, double scale)
{
	long long v;

	return read_num(dfd, name, &v) < 0 ? NAN : (double)v / scale;
}

/* clean_text: control characters become '?' (labels come from firmware). */
static void clean_text(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* copy_text: s into out, cut to fit. */
static void copy_text(char *out, size_t n, const char *s)
{
	size_t len = strnlen(s, n - 1);

	memcpy(out, s, len);
	out[len] = '\0';
}

/* parse_entry: "PREFIX<digits>SUFFIX" -> k.  1 when name has that shape. */
static int parse_entry(const char *name, const char *prefix,
		       const char *suffix, unsigned *k)
{
	size_t pl = strlen(prefix);
	unsigned long v;
	char *end;

	if (strncmp(name, prefix, pl) || name[pl] < '0' || name[pl] > '9')
		return 0;
	errno = 0;
	v = strtoul(name + pl, &end, 10);
	if (errno || v > 100000 || strcmp(end, suffix))
		return 0;
	*k = (unsigned)v;
	return 1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

/* The shapes list_entries looks for: kind i matches pats[i]. */
struct pattern {
	const char *prefix, *suffix;
};

/* list_entries: the entries of dfd matching one of pats[0..npat), sorted
 * by pattern then number.  *out is a new array (free()).  0 or RP_EIO. */
static int list_entries(int dfd, const struct pattern *pats, size_t npat,
			struct entry **out, size_t *n)
{
	struct dirent *de;
	struct entry *v = NULL;
	size_t i, cap = 0;
	DIR *d;
	int fd = dup(dfd);

	*out = NULL;
	*n = 0;
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return RP_EIO;
	}
	while ((de = readdir(d)) != NULL && *n < LIST_MAX) {
		for (i = 0; i < npat; i++) {
			unsigned k;

			if (!parse_entry(de->d_name, pats[i].prefix,
					 pats[i].suffix, &k))
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[(*n)++] = (struct entry){ (int)i, k };
			break;
		}
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), entry_cmp);
	*out = v;
	return 0;
}

/* open_dir: dir under parent (dir may be "a/b"); -1 when it is absent. */
static int open_dir(int parent, const char *dir)
{
	return openat(parent, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int sensors_push(struct sensors *s, struct sensor **out)
{
	if (s->n >= SYSFS_MAX_SENSORS)
		return RP_ENOMEM;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	*out = &s->v[s->n++];
	memset(*out, 0, sizeof(**out));
	(*out)->crit = (*out)->max = (*out)->min = NAN;
	return 0;
}

/* chip_name: the chip's name made an ID part, numbered when repeated. */
static void chip_name(int dfd, struct chip_names *cn, char *out, size_t n)
{
	char raw[ATTR_MAX], *p;
	size_t i;

	if (read_attr(dfd, "name", raw, sizeof(raw)) < 0)
		snprintf(raw, sizeof(raw), "hwmon");
	for (p = raw; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '.' &&
		    *p != '-')
			*p = '_';
	raw[SENSOR_CHIP_MAX - 8] = '\0';
	for (i = 0; i < cn->n && strcmp(cn->name[i], raw); i++)
		;
	if (i == cn->n && cn->n < CHIPS_MAX)
		copy_text(cn->name[cn->n++], SENSOR_CHIP_MAX, raw);
	if (i < cn->n && cn->seen[i]++)
		snprintf(out, n, "%.31s-%u", raw, (cn->seen[i] - 1) % 1000);
	else
		copy_text(out, n, raw);
}

/* hwmon_input: one tempK or fanK of a chip (skipped when unreadable). */
static int hwmon_input(int dfd, const char *chip, const struct entry *e,
		       struct sensors *s)
{
	static const char *const pre[] = { "temp", "fan" };
	const char *p = pre[e->kind];
	char name[64], label[ATTR_MAX];
	struct sensor *x;
	long long raw;
	int r;

	snprintf(name, sizeof(name), "%s%u_input", p, e->k);
	if (read_num(dfd, name, &raw) < 0)
		return 0;
	if ((r = sensors_push(s, &x)) < 0)
		return r;
	x->kind = e->kind == 0 ? SENSOR_TEMP : SENSOR_FAN;
	x->value = e->kind == 0 ? (double)raw / 1000.0 : (double)raw;
	snprintf(x->id, sizeof(x->id), "%s/%s%u", chip, p, e->k);
	copy_text(x->chip, sizeof(x->chip), chip);
	snprintf(name, sizeof(name), "%s%u_label", p, e->k);
	if (read_attr(dfd, name, label, sizeof(label)) < 0)
		snprintf(label, sizeof(label), "%s%u", p, e->k);
	clean_text(label);
	copy_text(x->label, sizeof(x->label), label);
	if (e->kind == 1) {
		snprintf(name, sizeof(name), "fan%u_min", e->k);
		x->min = read_scaled(dfd, name, 1);
		return 0;
	}
	snprintf(name, sizeof(name), "temp%u_crit", e->k);
	x->crit = read_scaled(dfd, name, 1000.0);
	snprintf(name, sizeof(name), "temp%u_max", e->k);
	x->max = read_scaled(dfd, name, 1000.0);
	return 0;
}

/* hwmon_chip: every readable input of one hwmonN directory. */
static int hwmon_chip(int dfd, struct chip_names *cn, struct sensors *s)
{
	static const struct pattern pats[] = {
		{ "temp", "_input" }, { "fan", "_input" },
	};
	char chip[SENSOR_CHIP_MAX];
	struct entry *v;
	size_t i, n;
	int r;

	chip_name(dfd, cn, chip, sizeof(chip));
	if ((r = list_entries(dfd, pats, 2, &v, &n)) < 0)
		return r;
	for (i = 0; i < n && r == 0; i++)
		r = hwmon_input(dfd, chip, &v[i], s);
	free(v);
	return r;
}

/* each_dir: calls fn on every classdir/PREFIXN directory, in N order. */
static int each_dir(int root, const char *classdir, const char *prefix,
		    int (*fn)(int dfd, unsigned k, void *arg), void *arg)
{
	struct pattern pat = { prefix, "" };
	struct entry *v = NULL;
	size_t i, n = 0;
	int r, dfd, cfd = open_dir(root, classdir);
	char name[64];

	if (cfd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : RP_EIO;
	r = list_entries(cfd, &pat, 1, &v, &n);
	for (i = 0; i < n && r == 0; i++) {
		snprintf(name, sizeof(name), "%s%u", prefix, v[i].k);
		if ((dfd = open_dir(cfd, name)) < 0)
			continue;
		r = fn(dfd, v[i].k, arg);
		close(dfd);
	}
	free(v);
	close(cfd);
	return r;
}

struct walk {
	struct sensors s;
	struct chip_names cn;
};

static int on_hwmon(int dfd, unsigned k, void *arg)
{
	struct walk *w = arg;

	(void)k;
	return hwmon_chip(dfd, &w->cn, &w->s);
}

/* zone_trips: crit from the critical trip point, max from hot (else
 * passive). */
static void zone_trips(int dfd, struct sensor *x)
{
	double passive = NAN;
	char name[64], type[ATTR_MAX];
	unsigned j;

	for (j = 0; j < 32; j++) {
		snprintf(name, sizeof(name), "trip_point_%u_type", j);
		if (read_attr(dfd, name, type, sizeof(type)) < 0)
			break;
		snprintf(name, sizeof(name), "trip_point_%u_temp", j);
		if (!strcmp(type, "critical"))
			x->crit = read_scaled(dfd, name, 1000.0);
		else if (!strcmp(type, "hot"))
			x->max = read_scaled(dfd, name, 1000.0);
		else if (!strcmp(type, "passive") && isnan(passive))
			passive = read_scaled(dfd, name, 1000.0);
	}
	if (isnan(x->max))
		x->max = passive;
}

/* known_chip: a hwmon chip of that name was read. */
static int known_chip(const struct chip_names *cn, const char *name)
{
	size_t i;

	for (i = 0; i < cn->n; i++)
		if (!strcmp(cn->name[i], name))
			return 1;
	return 0;
}

/* zone_is_copy: the zone repeats a hwmon sensor: it registered its own
 * hwmon chip (named after its type), or it is the package sensor that
 * coretemp already reads. */
static int zone_is_copy(const struct chip_names *cn, const char *type)
{
	return known_chip(cn, type) ||
	       (!strcmp(type, "x86_pkg_temp") && known_chip(cn, "coretemp"));
}

static int on_zone(int dfd, unsigned k, void *arg)
{
	struct walk *w = arg;
	char type[ATTR_MAX];
	struct sensor *x;
	long long raw;
	int r;

	if (read_attr(dfd, "type", type, sizeof(type)) < 0)
		snprintf(type, sizeof(type), "zone%u", k);
	clean_text(type);
	if (zone_is_copy(&w->cn, type) || read_num(dfd, "temp", &raw) < 0)
		return 0;
	if ((r = sensors_push(&w->s, &x)) < 0)
		return r;
	x->kind = SENSOR_TEMP;
	x->value = (double)raw / 1000.0;
	snprintf(x->id, sizeof(x->id), "thermal/zone%u", k);
	snprintf(x->chip, sizeof(x->chip), "thermal");
	copy_text(x->label, sizeof(x->label), type);
	zone_trips(dfd, x);
	return 0;
}

int sysfs_read_sensors(const char *root, struct sensor **v, size_t *n)
{
	struct walk *w = xcalloc(1, sizeof(*w));
	int r, rfd = open_dir(AT_FDCWD, root ? root : SYSFS_ROOT_DEFAULT);

	*v = NULL;
	*n = 0;
	if (rfd < 0) {
		r = errno == ENOENT || errno == ENOTDIR ? RP_ENOTFOUND : RP_EIO;
		goto out;
	}
	r = each_dir(rfd, "class/hwmon", "hwmon", on_hwmon, w);
	if (r == 0)
		r = each_dir(rfd, "class/thermal", "thermal_zone", on_zone, w);
	close(rfd);
	if (r < 0)
		goto out;
	*v = w->s.n ? w->s.v : NULL;
	*n = w->s.n;
	w->s.v = NULL;
out:
	free(w->s.v);
	free(w);
	return r;
}

/* starts: s begins with prefix; *rest points after it. */
static int starts(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return 0;
	*rest = s + n;
	return 1;
}

/* pure_number: rest is a decimal number; its value in *k. */
static int pure_number(const char *rest, unsigned *k)
{
	return parse_entry(rest, "", "", k);
}

static int chip_is(const struct sensor *s, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(s->chip, name, n) &&
	       (s->chip[n] == '\0' || s->chip[n] == '-');
}

int sysfs_is_cpu(const struct sensor *s)
{
	if (s->kind != SENSOR_TEMP)
		return 0;
	if (chip_is(s, "coretemp") || chip_is(s, "k10temp") ||
	    chip_is(s, "zenpower") || chip_is(s, "cpu_thermal"))
		return 1;
	return chip_is(s, "thermal") && (!strcmp(s->label, "x86_pkg_temp") ||
					 !strncmp(s->label, "cpu", 3));
}

/* chip_index: N of a repeated chip "coretemp-N" (hwmon names never hold
 * '-'), else 0. */
static unsigned chip_index(const struct sensor *s)
{
	const char *dash = strrchr(s->chip, '-');
	unsigned k;

	return dash && pure_number(dash + 1, &k) ? k : 0;
}

/* cpu_name: the coretemp/k10temp/thermal names; 1 when one applied. */
static int cpu_name(const struct sensor *s, monitor_tr_fn tr, char *out,
		    size_t outlen)
{
	unsigned k, c = chip_index(s);
	const char *rest;

	if (starts(s->label, "Package id ", &rest) && pure_number(rest, &k)) {
		if (k == 0)
			snprintf(out, outlen, "%s",
				 monitor_tr(tr, N_("CPU package")));
		else
			snprintf(out, outlen, monitor_tr(tr,
							 N_("CPU package %u")),
				 k);
		return 1;
	}
	if (starts(s->label, "Core ", &rest) && pure_number(rest, &k)) {
		if (c == 0)
			snprintf(out, outlen, monitor_tr(tr,
							 N_("CPU core %u")), k);
		else
			snprintf(out, outlen, monitor_tr(tr,
							 N_("CPU %u core %u")),
				 c, k);
		return 1;
	}
	if (!strcmp(s->label, "x86_pkg_temp")) {
		snprintf(out, outlen, "%s", monitor_tr(tr, N_("CPU package")));
		return 1;
	}
	if (!strcmp(s->label, "Tctl") || !strcmp(s->label, "Tdie") ||
	    (chip_is(s, "cpu_thermal") && s->kind == SENSOR_TEMP)) {
		if (c == 0)
			snprintf(out, outlen, "%s", monitor_tr(tr, N_("CPU")));
		else
			snprintf(out, outlen, monitor_tr(tr, N_("CPU %u")), c);
		return 1;
	}
	return 0;
}

void sysfs_sensor_name(const struct sensor *s, monitor_tr_fn tr, char *out,
		       size_t outlen)
{
	unsigned k, c = chip_index(s);
	const char *rest;

	if (outlen == 0 || cpu_name(s, tr, out, outlen))
		return;
	if (chip_is(s, "nvme") && !strcmp(s->label, "Composite")) {
		if (c == 0)
			snprintf(out, outlen, "%s",
				 monitor_tr(tr, N_("NVMe disk")));
		else
			snprintf(out, outlen, monitor_tr(tr,
							 N_("NVMe disk %u")),
				 c);
		return;
	}
	if ((starts(s->label, "temp", &rest) || starts(s->label, "fan", &rest))
	    && pure_number(rest, &k))
		snprintf(out, outlen, "%s %s", s->chip, s->label);
	else if (c)
		snprintf(out, outlen, "%s (%s)", s->label, s->chip);
	else
		snprintf(out, outlen, "%s", s->label);
}

int sysfs_samples(const struct sensor *v, size_t n,
		  struct monitor_samples *out)
{
	char labels[MONITOR_LABELS_MAX];
	size_t i;
	int r = 0;

	for (i = 0; i < n && r == 0; i++) {
		r = monitor_label(labels, sizeof(labels), "sensor", v[i].id);
		if (r == 0)
			r = monitor_samples_add(out, v[i].kind == SENSOR_FAN ?
						"fan_rpm" : "temp_celsius",
						labels, v[i].value);
	}
	return r;
}
