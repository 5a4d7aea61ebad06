/*
 * The scalars of a plan: durations, dates, times of day, booleans,
 * percentages, numbers and names.  Each parser takes the whole string and
 * fails with RP_EFORMAT on anything else (no leading or trailing space,
 * no sign): a plan is read by people, so "4 h" or "+3d" is an error to
 * show them rather than a guess.
 */
#include "plan/plan_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

#define DURATION_MAX ((int64_t)100 * 366 * 86400)

struct unit {
	char c;
	int64_t secs;
};

/* Largest first: duration_format walks them in this order. */
static const struct unit units[] = {
	{ 'w', 7 * 86400 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 },
	{ 's', 1 },
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

static int unit_index(char c)
{
	size_t i;

	for (i = 0; i < NUNITS; i++)
		if (units[i].c == c)
			return (int)i;
	return -1;
}

/* digits: reads 1..12 decimal digits at *s. 0 or RP_EFORMAT. */
static int digits(const char **s, int64_t *v)
{
	const char *p = *s;
	int64_t x = 0;

	while (*p >= '0' && *p <= '9' && p - *s < 12)
		x = x * 10 + (*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9'))
		return RP_EFORMAT;
	*s = p;
	*v = x;
	return 0;
}

int duration_parse(const char *s, int64_t *secs)
{
	int64_t total = 0, n;
	unsigned used = 0;
	int u;

	if (s == NULL || *s == '\0')
		return RP_EFORMAT;
	while (*s) {
		if (digits(&s, &n) < 0 || (u = unit_index(*s)) < 0)
			return RP_EFORMAT;
		if (used & (1u << u))
			return RP_EFORMAT;
		used |= 1u << u;
		if (n > DURATION_MAX / units[u].secs)
			return RP_EFORMAT;
		total += n * units[u].secs;
		if (total > DURATION_MAX)
			return RP_EFORMAT;
		s++;
	}
	*secs = total;
	return 0;
}

const char *duration_format(int64_t secs, char *out, size_t n)
{
	size_t len = 0, i;
	int w;

	if (n == 0)
		return out;
	out[0] = '\0';
	if (secs < 0)
		w = snprintf(out, n, "-");
	else if (secs == 0)
		w = snprintf(out, n, "0s");
	else
		w = 0;
	for (i = 0; i < NUNITS && secs > 0 && w >= 0; i++) {
		if (secs < units[i].secs)
			continue;
		w = snprintf(out + len, n - len, "%lld%c",
			     (long long)(secs / units[i].secs), units[i].c);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
		secs %= units[i].secs;
	}
	return out;
}

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date
 * (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

/* fixed_digits: exactly n digits at s into *v. */
static int fixed_digits(const char *s, int n, int64_t *v)
{
	int64_t x = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return RP_EFORMAT;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int plan_date_parse(const char *s, int64_t *t)
{
	int64_t y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return RP_EFORMAT;
	if (fixed_digits(s, 4, &y) < 0 || fixed_digits(s + 5, 2, &m) < 0 ||
	    fixed_digits(s + 8, 2, &d) < 0)
		return RP_EFORMAT;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return RP_EFORMAT;
	*t = days_from_civil(y, m, d) * 86400;
	return 0;
}

const char *plan_date_format(int64_t t, char *out, size_t n)
{
	int64_t z = t / 86400 + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, n, "%04lld-%02lld-%02lld", (long long)(y + (m <= 2)),
		 (long long)m, (long long)d);
	return out;
}

int plan_time_parse(const char *s, int *minutes)
{
	int64_t h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    fixed_digits(s, 2, &h) < 0 || fixed_digits(s + 3, 2, &m) < 0 ||
	    h > 23 || m > 59)
		return RP_EFORMAT;
	*minutes = (int)(h * 60 + m);
	return 0;
}

int plan_bool_parse(const char *s, int *v)
{
	static const char *const yes[] = { "true", "yes", "oui" };
	static const char *const no[] = { "false", "no", "non" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*v = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*v = 0;
			return 0;
		}
	}
	return RP_EFORMAT;
}

int plan_uint_parse(const char *s, long max, long *v)
{
	int64_t x;

	if (digits(&s, &x) < 0 || *s != '\0' || x > max)
		return RP_EFORMAT;
	*v = (long)x;
	return 0;
}

int plan_percent_parse(const char *s, int *v)
{
	int64_t x;

	if (digits(&s, &x) < 0)
		return RP_EFORMAT;
	if (*s == '%')
		s++;
	if (*s != '\0' || x < 1 || x > 100)
		return RP_EFORMAT;
	*v = (int)x;
	return 0;
}

/* plan_is_name: 1..64 of [A-Za-z0-9._-], starting with a letter or digit. */
int plan_is_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char ch = s[i];
		int alnum = (ch >= 'a' && ch <= 'z') ||
			    (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9');

		if (!alnum && (i == 0 || !strchr("._-", ch)))
			return 0;
	}
	return i > 0 && i <= 64;
}
