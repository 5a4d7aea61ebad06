#include "repo/lock.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/gostr.h"
#include "util/hex.h"
#include "util/jsonr.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define LOCK_STALE_SEC (30 * 60)
#define LOCK_REFRESH_SEC (5 * 60)

struct repo_lock {
	struct repo *r;
	int exclusive;
	char name[65];
	time_t made;
};

struct lock_info {
	int exclusive;
	int64_t time;
	char host[256];
	int64_t pid;
};

static int lock_write(struct repo *r, int exclusive, char name[65])
{
	struct buf json = BUF_INIT, t = BUF_INIT;
	struct jsonw w;
	struct gotime now;
	struct passwd *pw = getpwuid(getuid());
	char host[256] = "";
	uint8_t id[32];
	int rc;

	gethostname(host, sizeof(host) - 1);
	gostr_time_now(&now);
	gostr_time_format(&t, &now);
	jsonw_init(&w, &json);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "time");
	jsonw_str(&w, buf_cstr(&t));
	jsonw_key(&w, "exclusive");
	jsonw_bool(&w, exclusive);
	jsonw_key(&w, "hostname");
	jsonw_str(&w, host);
	jsonw_key(&w, "username");
	jsonw_str(&w, pw ? pw->pw_name : "");
	jsonw_key(&w, "pid");
	jsonw_u64(&w, (uint64_t)getpid());
	if (getuid()) {
		jsonw_key(&w, "uid");
		jsonw_u64(&w, getuid());
	}
	if (getgid()) {
		jsonw_key(&w, "gid");
		jsonw_u64(&w, getgid());
	}
	jsonw_obj_end(&w);
	rc = jsonw_finish(&w);
	if (rc == 0)
		rc = repo_save_unpacked(r, BE_LOCK, json.p, json.len, id);
	if (rc == 0)
		hex_encode(id, 32, name);
	buf_release(&json);
	buf_release(&t);
	return rc;
}

static int lock_read(struct repo *r, const char *name, struct lock_info *li)
{
	struct buf json = BUF_INIT;
	yajl_val doc = NULL;
	const char *s;
	struct gotime t;
	uint64_t pid = 0;
	int rc;

	memset(li, 0, sizeof(*li));
	if ((rc = repo_load_unpacked(r, BE_LOCK, name, &json)) < 0)
		goto out;
	rc = RP_EFORMAT;
	if (jsonr_parse(json.p, json.len, &doc, NULL, 0) < 0 ||
	    jsonr_str(jsonr_get(doc, "time"), &s) < 0 ||
	    gostr_time_parse(s, strlen(s), &t) < 0)
		goto out;
	li->time = t.sec;
	jsonr_bool(jsonr_get(doc, "exclusive"), &li->exclusive);
	if (jsonr_str(jsonr_get(doc, "hostname"), &s) == 0)
		snprintf(li->host, sizeof(li->host), "%s", s);
	jsonr_u64(jsonr_get(doc, "pid"), &pid);
	li->pid = (int64_t)pid;
	rc = 0;
out:
	jsonr_free(doc);
	buf_release(&json);
	return rc;
}

static int lock_stale(const struct lock_info *li)
{
	char host[256] = "";

	if (time(NULL) - li->time > LOCK_STALE_SEC)
		return 1;
	gethostname(host, sizeof(host) - 1);
	if (strcmp(host, li->host) != 0 || li->pid <= 0 || li->pid > INT32_MAX)
		return 0;
	return kill((pid_t)li->pid, 0) < 0 && errno == ESRCH;
}

/* conflicts: 1 if a fresh lock other than ours conflicts with ours. */
static int conflicts(struct repo *r, int exclusive, const char *ours)
{
	char **names;
	size_t n, i;
	struct lock_info li;
	int found = 0;

	if (repo_list(r, BE_LOCK, &names, &n) < 0)
		return -1;
	for (i = 0; i < n && !found; i++) {
		if (ours && strcmp(names[i], ours) == 0)
			continue;
		if (lock_read(r, names[i], &li) < 0)
			continue; /* vanished or unreadable: restic ignores it */
		if (lock_stale(&li) || (!exclusive && !li.exclusive))
			continue;
		if (li.exclusive)
			log_error("repository is already locked exclusively "
				  "by PID %lld on %s (lock %.8s)",
				  (long long)li.pid, li.host, names[i]);
		else
			log_error("repository is already locked by PID %lld "
				  "on %s (lock %.8s)", (long long)li.pid,
				  li.host, names[i]);
		found = 1;
	}
	repo_names_free(names, n);
	return found;
}

int lock_take(struct repo *r, int exclusive, struct repo_lock **out)
{
	struct repo_lock *l;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	int rc;

	if (conflicts(r, exclusive, NULL) > 0)
		return RP_ELOCKED;
	l = xcalloc(1, sizeof(*l));
	l->r = r;
	l->exclusive = exclusive;
	if ((rc = lock_write(r, exclusive, l->name)) < 0) {
		free(l);
		return rc;
	}
	l->made = time(NULL);
	/* Two takers that each write, then list, cannot both miss the other
	 * when a listing shows every written file: the later writer lists
	 * after the earlier one wrote.  Only a lagging listing needs the
	 * pause (restic always waits; on a local directory it is 200 ms of
	 * every command for nothing). */
	if (!r->be->ops->list_consistent)
		nanosleep(&ts, NULL);
	if (conflicts(r, exclusive, l->name) > 0) {
		lock_release(l);
		return RP_ELOCKED;
	}
	*out = l;
	return 0;
}

int lock_refresh(struct repo_lock *l)
{
	char name[65];
	int rc;

	if (l == NULL || time(NULL) - l->made < LOCK_REFRESH_SEC)
		return 0;
	if ((rc = lock_write(l->r, l->exclusive, name)) < 0)
		return rc;
	l->r->be->ops->remove(l->r->be, BE_LOCK, l->name);
	memcpy(l->name, name, sizeof(name));
	l->made = time(NULL);
	return 0;
}

void lock_release(struct repo_lock *l)
{
	if (l == NULL)
		return;
	l->r->be->ops->remove(l->r->be, BE_LOCK, l->name);
	free(l);
}

int lock_remove_stale(struct repo *r, int all, size_t *removed)
{
	char **names;
	size_t n, i, cnt = 0;
	struct lock_info li;
	int rc;

	if ((rc = repo_list(r, BE_LOCK, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (!all && lock_read(r, names[i], &li) == 0 && !lock_stale(&li))
			continue;
		if (r->be->ops->remove(r->be, BE_LOCK, names[i]) == 0)
			cnt++;
	}
	repo_names_free(names, n);
	*removed = cnt;
	return 0;
}
