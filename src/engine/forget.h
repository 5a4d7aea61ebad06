/*
 * forget: which snapshots a retention policy keeps (restic's semantics).
 *
 * Snapshots are grouped (by host and paths unless told otherwise); within
 * a group, newest first, a snapshot is kept when
 *   - it carries one of keep_tags, or
 *   - it is within keep_within of the group's newest snapshot, or
 *   - it opens a new bucket for a rule that still has a count left: each
 *     rule (last, hourly, daily, weekly, monthly, yearly) keeps the newest
 *     snapshot of each of its N most recent buckets (an hour, a day, an ISO
 *     week, a month, a year, in local time; "last" makes every snapshot
 *     its own bucket).  A count of -1 means no limit.
 * A policy with no rule at all keeps everything (restic refuses to forget
 * everything by accident; so do we).
 *
 * forget_plan is pure: it decides, it deletes nothing.  forget_apply
 * removes the snapshot files it was given.
 */
#ifndef RP_FORGET_H
#define RP_FORGET_H

#include <stdint.h>

#include "repo/snapshot.h"

struct forget_policy {
	int last, hourly, daily, weekly, monthly, yearly; /* 0: unused */
	/* keep-within: years, months, days, hours before the newest
	 * snapshot of the group, in calendar terms (restic's "1y2m3d4h") */
	int within_y, within_m, within_d, within_h, has_within;
	struct strlist keep_tags;    /* each "a,b": a snapshot with both */
	int group_host, group_paths, group_tags;
};

enum forget_reason {
	KEEP_TAG = 1 << 0, KEEP_WITHIN = 1 << 1, KEEP_LAST = 1 << 2,
	KEEP_HOURLY = 1 << 3, KEEP_DAILY = 1 << 4, KEEP_WEEKLY = 1 << 5,
	KEEP_MONTHLY = 1 << 6, KEEP_YEARLY = 1 << 7, KEEP_NOPOLICY = 1 << 8,
};

struct forget_item {
	const struct snapshot *s;  /* borrowed from the caller's list */
	int group;                 /* group number, from 0 */
	unsigned reasons;          /* 0: to be removed */
};

/* forget_policy_empty: 1 when no rule is set. */
int forget_policy_empty(const struct forget_policy *p);
/* forget_plan: one item per snapshot of v (which needs no order), sorted
 * by group, then newest first.  *items is new (free()). */
void forget_plan(const struct forget_policy *p, const struct snapshot *v,
		 size_t n, struct forget_item **items);
/* forget_reasons: "daily, monthly" for people (static English words; the
 * CLI translates them one by one). */
const char *forget_reason_name(enum forget_reason r);

/* forget_apply: removes the snapshots without reasons.  *removed counts
 * them.  Takes no lock: the caller holds an exclusive one. */
int forget_apply(struct repo *r, const struct forget_item *items, size_t n,
		 size_t *removed);

#endif
