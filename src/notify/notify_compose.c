/*
 * notify_compose.c: the words of a notification, in French or English
 * (notify.h "THE MESSAGE" and "LANGUAGE").
 *
 * Texts are templates with {name} placeholders (not printf formats, so
 * that a translation may put the words in its own order); expand() fills
 * them from a small table of variables.  Every text exists in both
 * languages: T(id) picks the plan's.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "plan/plan.h"
#include "util/err.h"

enum msg {
	M_SEV_INFO, M_SEV_WARNING, M_SEV_CRITICAL,
	M_PFX_REPEAT, M_PFX_ESCALATE, M_PFX_RESOLVED,
	M_SUBJECT, M_SUBJECT_RESOLVED,
	M_HEAD_GENERIC, M_HEAD_TEMPERATURE, M_HEAD_COOLING,
	M_HEAD_DISK_SPACE, M_HEAD_DISK_HEALTH, M_HEAD_PROBE, M_HEAD_CERT,
	M_HEAD_BACKUP, M_HEAD_PING, M_HEAD_HOST_DOWN,
	M_MEASURE, M_MEASURE_NOWHAT, M_RATE, M_LIMIT_ETA, M_LIMIT,
	M_REPEAT_INTRO, M_ESCALATE_INTRO, M_RESOLVED_INTRO,
	M_SINCE, M_DURATION, M_AGO,
	M_SERVICES, M_SERVICE_ITEM, M_NO_SERVICE,
	M_MEAN_TEMPERATURE, M_MEAN_COOLING, M_MEAN_DISK_SPACE,
	M_MEAN_DISK_HEALTH, M_MEAN_PROBE, M_MEAN_CERT, M_MEAN_BACKUP,
	M_MEAN_PING, M_MEAN_HOST_DOWN,
	M_TODO, M_TODO_RESOLVED,
	M_DO_GENERIC, M_DO_TEMPERATURE, M_DO_COOLING, M_DO_DISK_SPACE,
	M_DO_DISK_HEALTH, M_DO_PROBE, M_DO_CERT, M_DO_BACKUP, M_DO_PING,
	M_DO_HOST_DOWN,
	M_DO_PROVIDER, M_CONTRACT, M_RESTORE_TIME, M_NO_RESTORE_TIME,
	M_DO_ACK, M_DO_RESOLVED,
	M_FOOTER,
	M_CRIT_LOW, M_CRIT_MEDIUM, M_CRIT_HIGH, M_CRIT_CRITICAL,
	M_SEVL_INFO, M_SEVL_WARNING, M_SEVL_CRITICAL,
	M_LESS_MINUTE, M_MIN, M_H, M_H_MIN, M_D_H,
	M_COUNT
};

/* [id][lang]: French first, English second.  "\u00a0" is not used: mail
 * readers wrap plain text anyway. */
static const char *const texts[M_COUNT][2] = {
	[M_SEV_INFO] = { "INFO", "INFO" },
	[M_SEV_WARNING] = { "AVERTISSEMENT", "WARNING" },
	[M_SEV_CRITICAL] = { "CRITIQUE", "CRITICAL" },
	[M_PFX_REPEAT] = { "RAPPEL", "REMINDER" },
	[M_PFX_ESCALATE] = { "ESCALADE", "ESCALATION" },
	[M_PFX_RESOLVED] = { "RÉSOLU", "RESOLVED" },
	[M_SUBJECT] = { "[reprise] {prefix}{severity} : {headline}",
			"[reprise] {prefix}{severity}: {headline}" },
	[M_SUBJECT_RESOLVED] = { "[reprise] {prefix} : {headline}",
				 "[reprise] {prefix}: {headline}" },
	[M_HEAD_GENERIC] = { "{rule} sur {subject}", "{rule} on {subject}" },
	[M_HEAD_TEMPERATURE] = { "le serveur {host} chauffe",
				 "server {host} is overheating" },
	[M_HEAD_COOLING] = { "panne de refroidissement sur {host}",
			     "cooling failure on {host}" },
	[M_HEAD_DISK_SPACE] = { "le disque {what} de {host} se remplit",
				"disk {what} on {host} is filling up" },
	[M_HEAD_DISK_HEALTH] = { "le disque {what} de {host} est en train "
				 "de lâcher",
				 "disk {what} on {host} is failing" },
	[M_HEAD_PROBE] = { "{what} ne répond pas", "{what} does not answer" },
	[M_HEAD_CERT] = { "le certificat de {what} expire bientôt",
			  "the certificate of {what} expires soon" },
	[M_HEAD_BACKUP] = { "pas de sauvegarde récente pour {what}",
			    "no recent backup for {what}" },
	[M_HEAD_PING] = { "{what} ne s'est pas signalé",
			  "{what} did not check in" },
	[M_HEAD_HOST_DOWN] = { "le serveur {host} ne répond plus",
			       "server {host} is not answering" },
	[M_MEASURE] = { " : {what} à {value}{unit}",
			": {what} at {value}{unit}" },
	[M_MEASURE_NOWHAT] = { " : {value}{unit}", ": {value}{unit}" },
	[M_RATE] = { ", {rate}{unit}/min", ", {rate}{unit}/min" },
	[M_LIMIT_ETA] = { " ; critique ({limit}{unit}) dans environ {eta}",
			  "; critical ({limit}{unit}) in about {eta}" },
	[M_LIMIT] = { " ; seuil critique : {limit}{unit}",
		      "; critical threshold: {limit}{unit}" },
	[M_REPEAT_INTRO] = { "Rappel : l'alerte est toujours active et "
			     "personne n'en a accusé réception.",
			     "Reminder: the alert is still active and nobody "
			     "has acknowledged it." },
	[M_ESCALATE_INTRO] = { "Personne n'a accusé réception : l'alerte "
			       "passe au niveau {step} de la chaîne "
			       "d'appel.",
			       "Nobody acknowledged it: the alert goes to "
			       "step {step} of the call tree." },
	[M_RESOLVED_INTRO] = { "Fin d'alerte : la situation est revenue à "
			       "la normale.",
			       "All clear: things are back to normal." },
	[M_SINCE] = { "Depuis : {time} ({ago}).", "Since: {time} ({ago})." },
	[M_DURATION] = { "Durée : {dur} (du {time} au {end}).",
			 "Duration: {dur} (from {time} to {end})." },
	[M_AGO] = { "il y a {dur}", "{dur} ago" },
	[M_SERVICES] = { "Services touchés : {list}.",
			 "Affected services: {list}." },
	[M_SERVICE_ITEM] = { "{name} ({crit}, RTO {rto})",
			     "{name} ({crit}, RTO {rto})" },
	[M_NO_SERVICE] = { "Services touchés : aucun service du plan "
			   "n'est rattaché à {host}.",
			   "Affected services: no service of the plan "
			   "runs on {host}." },
	[M_MEAN_TEMPERATURE] = { "Ce que cela signifie : si rien n'est fait, "
				 "le serveur s'arrêtera (protection "
				 "thermique) ou s'abîmera, et ces services "
				 "seront interrompus.",
				 "What it means: if nothing is done, the "
				 "server will shut down (thermal protection) "
				 "or be damaged, and these services will "
				 "stop." },
	[M_MEAN_COOLING] = { "Ce que cela signifie : le refroidissement ne "
			     "fonctionne plus ; le serveur va s'arrêter en "
			     "surchauffe, et ces services avec lui.",
			     "What it means: cooling has failed; the server "
			     "will overheat and stop, and these services "
			     "with it." },
	[M_MEAN_DISK_SPACE] = { "Ce que cela signifie : quand le disque sera "
				"plein, les écritures échoueront (bases de "
				"données, fichiers, sauvegardes).",
				"What it means: when the disk is full, "
				"writes will fail (databases, files, "
				"backups)." },
	[M_MEAN_DISK_HEALTH] = { "Ce que cela signifie : le disque peut "
				 "lâcher à tout moment ; les données qu'il "
				 "porte sont en danger.",
				 "What it means: the disk may die at any "
				 "moment; the data on it is at risk." },
	[M_MEAN_PROBE] = { "Ce que cela signifie : les utilisateurs ne "
			   "peuvent probablement plus travailler avec ce "
			   "service.",
			   "What it means: users can probably no longer work "
			   "with this service." },
	[M_MEAN_CERT] = { "Ce que cela signifie : à l'expiration, "
			  "navigateurs et clients refuseront la connexion.",
			  "What it means: once it expires, browsers and "
			  "clients will refuse to connect." },
	[M_MEAN_BACKUP] = { "Ce que cela signifie : en cas de panne "
			    "maintenant, les données perdues dépasseraient "
			    "l'objectif de perte admissible (RPO).",
			    "What it means: if the server failed now, the "
			    "data lost would exceed the recovery point "
			    "objective (RPO)." },
	[M_MEAN_PING] = { "Ce que cela signifie : la tâche surveillée a "
			  "peut-être échoué sans rien dire.",
			  "What it means: the watched job may have failed "
			  "silently." },
	[M_MEAN_HOST_DOWN] = { "Ce que cela signifie : les services de cette "
			       "machine sont probablement arrêtés.",
			       "What it means: the services of this machine "
			       "are probably down." },
	[M_TODO] = { "À faire :", "What to do:" },
	[M_TODO_RESOLVED] = { "À faire :", "What to do:" },
	[M_DO_GENERIC] = { "lire le détail ci-dessus et vérifier {subject} ;",
			   "read the detail above and check {subject};" },
	[M_DO_TEMPERATURE] = { "vérifier la ventilation et la climatisation "
			       "de la salle ; alléger la charge si possible ;",
			       "check the fans and the room's air "
			       "conditioning; lower the load if you can;" },
	[M_DO_COOLING] = { "prévenir l'hébergeur tout de suite et préparer "
			   "l'arrêt propre du serveur avant qu'il ne coupe "
			   "tout seul ;",
			   "tell the provider at once and prepare a clean "
			   "shutdown before the server cuts out by itself;" },
	[M_DO_DISK_SPACE] = { "libérer de la place ou agrandir le disque ; "
			      "chercher ce qui grossit (journaux, copies "
			      "locales) ;",
			      "free space or grow the disk; find what grows "
			      "(logs, local copies);" },
	[M_DO_DISK_HEALTH] = { "faire remplacer le disque ; vérifier que la "
			       "dernière sauvegarde est bonne (reprise "
			       "check) ;",
			       "have the disk replaced; make sure the last "
			       "backup is good (reprise check);" },
	[M_DO_PROBE] = { "vérifier que le service tourne et répond, et lire "
			 "ses journaux ;",
			 "check that the service runs and answers, and read "
			 "its logs;" },
	[M_DO_CERT] = { "renouveler le certificat ;",
			"renew the certificate;" },
	[M_DO_BACKUP] = { "lire l'erreur de la dernière sauvegarde et la "
			  "relancer (reprise backup) ;",
			  "read the last backup's error and run it again "
			  "(reprise backup);" },
	[M_DO_PING] = { "vérifier la tâche planifiée et ses journaux ;",
			"check the scheduled job and its logs;" },
	[M_DO_HOST_DOWN] = { "vérifier que la machine est allumée et "
			     "joignable ;",
			     "check that the machine is on and reachable;" },
	[M_DO_PROVIDER] = { "appeler l'hébergeur "
			    "{provider}{contact}{contract} ;",
			    "call the provider "
			    "{provider}{contact}{contract};" },
	[M_CONTRACT] = { ", contrat {ref}", ", contract {ref}" },
	[M_RESTORE_TIME] = { " (rétablissement garanti en {rt})",
			     " (guaranteed restore within {rt})" },
	[M_NO_RESTORE_TIME] = { " (aucun délai de rétablissement garanti)",
				" (no guaranteed restore time)" },
	[M_DO_ACK] = { "accuser réception (arrête rappels et escalade) : "
		       "reprise alert ack {id}",
		       "acknowledge (stops reminders and escalation): "
		       "reprise alert ack {id}" },
	[M_DO_RESOLVED] = { "rien d'urgent ; noter la cause dans le journal "
			    "des incidents si elle est connue.",
			    "nothing urgent; note the cause in the incident "
			    "log if it is known." },
	[M_FOOTER] = { "Alerte n° {id} : règle {rule}, sujet {subject}, "
		       "gravité {sev}.",
		       "Alert #{id}: rule {rule}, subject {subject}, "
		       "severity {sev}." },
	[M_CRIT_LOW] = { "faible", "low" },
	[M_CRIT_MEDIUM] = { "moyenne", "medium" },
	[M_CRIT_HIGH] = { "élevée", "high" },
	[M_CRIT_CRITICAL] = { "critique", "critical" },
	[M_SEVL_INFO] = { "information", "info" },
	[M_SEVL_WARNING] = { "avertissement", "warning" },
	[M_SEVL_CRITICAL] = { "critique", "critical" },
	[M_LESS_MINUTE] = { "moins d'une minute", "less than a minute" },
	[M_MIN] = { "{m} min", "{m} min" },
	[M_H] = { "{h} h", "{h} h" },
	[M_H_MIN] = { "{h} h {m} min", "{h} h {m} min" },
	[M_D_H] = { "{d} j {h} h", "{d} d {h} h" },
};

struct var {
	const char *name, *value;
};

/* A composition in progress. */
struct comp {
	enum notify_lang lang;
	const struct plan *plan;
	const struct alert_event *ev;
	const struct notify_facts *f;
	int64_t now;
	struct buf *out;
	int rc;
};

static const char *T(const struct comp *c, enum msg id)
{
	return texts[id][c->lang == NOTIFY_LANG_EN];
}

/* expand: appends tmpl to out with {name} replaced by its value in
 * vars[0..n) (empty when unknown or NULL). */
static int expand(struct buf *out, const char *tmpl, const struct var *vars,
		  size_t n)
{
	const char *p = tmpl, *open, *close;
	size_t i, len;
	int rc = 0;

	while (rc == 0 && (open = strchr(p, '{')) &&
	       (close = strchr(open, '}'))) {
		rc = buf_add(out, p, (size_t)(open - p));
		len = (size_t)(close - open - 1);
		for (i = 0; rc == 0 && i < n; i++) {
			if (strlen(vars[i].name) == len &&
			    memcmp(vars[i].name, open + 1, len) == 0) {
				if (vars[i].value)
					rc = buf_adds(out, vars[i].value);
				break;
			}
		}
		p = close + 1;
	}
	return rc ? rc : buf_adds(out, p);
}

static void cexpand(struct comp *c, enum msg id, const struct var *vars,
		    size_t n)
{
	if (c->rc == 0)
		c->rc = expand(c->out, T(c, id), vars, n);
}

static void cadd(struct comp *c, const char *s)
{
	if (c->rc == 0)
		c->rc = buf_adds(c->out, s);
}

#define NV(v) (sizeof(v) / sizeof((v)[0]))

enum notify_lang notify_lang_of(const struct plan *p)
{
	return p && p->lang == PLAN_LANG_EN ? NOTIFY_LANG_EN : NOTIFY_LANG_FR;
}

/* ---- numbers, times, durations --------------------------------------- */

static int is_nan(double v)
{
	return v != v;
}

int notify_fmt_decimal(struct buf *b, double v, int digits,
		       enum notify_lang lang, int explicit_sign)
{
	long long scale = 1, x;
	int i, neg;

	if (is_nan(v) || v > 1e15 || v < -1e15)
		return buf_adds(b, "-");
	if (digits < 0)
		digits = 0;
	if (digits > 3)
		digits = 3;
	for (i = 0; i < digits; i++)
		scale *= 10;
	neg = v < 0;
	x = (long long)((neg ? -v : v) * (double)scale + 0.5);
	if (neg && x == 0)
		neg = 0;
	if (buf_adds(b, neg ? "-" : explicit_sign && x > 0 ? "+" : "") < 0 ||
	    buf_addf(b, "%lld", x / scale) < 0)
		return RP_ENOMEM;
	if (digits == 0)
		return 0;
	return buf_addf(b, "%s%0*lld", lang == NOTIFY_LANG_EN ? "." : ",",
			digits, x % scale);
}

/* digits_for: no decimal for a whole number, one otherwise. */
static int digits_for(double v)
{
	double r = v < 0 ? -v : v;

	return (r - (double)(long long)r) >= 0.05 &&
	       (r - (double)(long long)r) < 0.95 ? 1 : 0;
}

static int fmt_duration(struct buf *b, enum notify_lang lang, int64_t s)
{
	char d[24], h[24], m[24];
	struct var v[] = { { "d", d }, { "h", h }, { "m", m } };
	int L = lang == NOTIFY_LANG_EN;

	if (s < 60)
		return buf_adds(b, texts[M_LESS_MINUTE][L]);
	snprintf(d, sizeof(d), "%lld", (long long)(s / 86400));
	snprintf(h, sizeof(h), "%lld", (long long)(s / 3600 % 24));
	snprintf(m, sizeof(m), "%lld", (long long)(s / 60 % 60));
	if (s >= 86400)
		return expand(b, texts[M_D_H][L], v, NV(v));
	if (s < 3600)
		return expand(b, texts[M_MIN][L], v, NV(v));
	if (s % 3600 < 60)
		return expand(b, texts[M_H][L], v, NV(v));
	return expand(b, texts[M_H_MIN][L], v, NV(v));
}

/* fmt_time: "2024-05-06 14:02 +0200", local time of the process. */
static void fmt_time(char *out, size_t n, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    strftime(out, n, "%Y-%m-%d %H:%M %z", &tm) == 0)
		snprintf(out, n, "@%lld", (long long)(ms / 1000));
}

/* ---- pieces ---------------------------------------------------------- */

static enum msg head_msg(enum notify_kind k)
{
	static const enum msg m[] = {
		[NOTIFY_KIND_GENERIC] = M_HEAD_GENERIC,
		[NOTIFY_KIND_TEMPERATURE] = M_HEAD_TEMPERATURE,
		[NOTIFY_KIND_COOLING] = M_HEAD_COOLING,
		[NOTIFY_KIND_DISK_SPACE] = M_HEAD_DISK_SPACE,
		[NOTIFY_KIND_DISK_HEALTH] = M_HEAD_DISK_HEALTH,
		[NOTIFY_KIND_PROBE] = M_HEAD_PROBE,
		[NOTIFY_KIND_CERT] = M_HEAD_CERT,
		[NOTIFY_KIND_BACKUP] = M_HEAD_BACKUP,
		[NOTIFY_KIND_PING] = M_HEAD_PING,
		[NOTIFY_KIND_HOST_DOWN] = M_HEAD_HOST_DOWN,
	};

	return (unsigned)k < NV(m) ? m[k] : M_HEAD_GENERIC;
}

static enum notify_kind kind_of(const struct comp *c)
{
	return c->f ? c->f->kind : NOTIFY_KIND_GENERIC;
}

static const char *host_of(const struct comp *c)
{
	return c->f && c->f->host ? c->f->host : c->ev->subject;
}

static const char *what_of(const struct comp *c)
{
	return c->f && c->f->what ? c->f->what : c->ev->subject;
}

/* headline: "le serveur srv1 chauffe" (lower case start). */
static void headline(struct comp *c)
{
	struct var v[] = {
		{ "host", host_of(c) }, { "what", what_of(c) },
		{ "rule", c->ev->rule }, { "subject", c->ev->subject },
	};

	cexpand(c, head_msg(kind_of(c)), v, NV(v));
}

static void subject_line(struct comp *c)
{
	static const enum msg sev[] = { M_SEV_INFO, M_SEV_WARNING,
					M_SEV_CRITICAL };
	struct buf head = BUF_INIT, prefix = BUF_INIT;
	struct buf *keep = c->out;
	struct var v[3];
	enum msg tmpl = M_SUBJECT;

	c->out = &head;
	headline(c);
	c->out = &prefix;
	if (c->ev->notify == ALERT_NOTIFY_REPEAT)
		cadd(c, T(c, M_PFX_REPEAT));
	else if (c->ev->notify == ALERT_NOTIFY_ESCALATE)
		cadd(c, T(c, M_PFX_ESCALATE));
	else if (c->ev->notify == ALERT_NOTIFY_RESOLVED ||
		 c->ev->kind == ALERT_EV_RESOLVED) {
		cadd(c, T(c, M_PFX_RESOLVED));
		tmpl = M_SUBJECT_RESOLVED;
	}
	if (prefix.len && tmpl == M_SUBJECT)
		cadd(c, " \xe2\x80\x94 ");   /* an em dash */
	c->out = keep;
	v[0] = (struct var){ "prefix", buf_cstr(&prefix) };
	v[1] = (struct var){ "severity",
			     T(c, sev[(unsigned)c->ev->severity < 3 ?
				      c->ev->severity : 2]) };
	v[2] = (struct var){ "headline", buf_cstr(&head) };
	cexpand(c, tmpl, v, NV(v));
	buf_release(&head);
	buf_release(&prefix);
}

/* add_num: a measured number with the unit, e.g. "71 °C". */
static void add_num(struct comp *c, struct buf *b, double v, int sign)
{
	const char *unit = c->f->unit ? c->f->unit :
			   kind_of(c) == NOTIFY_KIND_TEMPERATURE ||
			   kind_of(c) == NOTIFY_KIND_COOLING ? "\xc2\xb0" "C" :
			   "";

	if (c->rc == 0)
		c->rc = notify_fmt_decimal(b, v, sign ? 1 : digits_for(v),
					   c->lang, sign);
	if (c->rc == 0 && *unit)
		c->rc = buf_addf(b, " %s", unit);
}

static void measurement(struct comp *c)
{
	struct buf value = BUF_INIT, rate = BUF_INIT, limit = BUF_INIT,
		   eta = BUF_INIT;
	struct var v[] = {
		{ "what", c->f->what }, { "value", NULL }, { "unit", "" },
		{ "rate", NULL }, { "limit", NULL }, { "eta", NULL },
	};

	add_num(c, &value, c->f->value, 0);
	add_num(c, &rate, c->f->rate, 1);
	add_num(c, &limit, c->f->limit, 0);
	if (c->rc == 0 && c->f->eta_s >= 0)
		c->rc = fmt_duration(&eta, c->lang, c->f->eta_s);
	v[1].value = buf_cstr(&value);
	v[3].value = buf_cstr(&rate);
	v[4].value = buf_cstr(&limit);
	v[5].value = buf_cstr(&eta);
	if (!is_nan(c->f->value))
		cexpand(c, c->f->what ? M_MEASURE : M_MEASURE_NOWHAT, v,
			NV(v));
	if (!is_nan(c->f->value) && !is_nan(c->f->rate))
		cexpand(c, M_RATE, v, NV(v));
	if (!is_nan(c->f->limit))
		cexpand(c, c->f->eta_s >= 0 ? M_LIMIT_ETA : M_LIMIT, v, NV(v));
	buf_release(&value);
	buf_release(&rate);
	buf_release(&limit);
	buf_release(&eta);
}

/* first_sentence: "Le serveur srv1 chauffe : CPU à 71 °C, ... min." */
static void first_sentence(struct comp *c)
{
	size_t at = c->out->len;

	headline(c);
	if (c->rc == 0 && c->out->len > at && c->out->p[at] >= 'a' &&
	    c->out->p[at] <= 'z')
		c->out->p[at] = (uint8_t)(c->out->p[at] - 'a' + 'A');
	if (c->f)
		measurement(c);
	cadd(c, ".");
	if (c->f && c->f->detail) {
		cadd(c, " ");
		cadd(c, c->f->detail);
	} else if (c->ev->text && *c->ev->text) {
		cadd(c, " ");
		cadd(c, c->ev->text);
	}
	cadd(c, "\n");
}

static void since_line(struct comp *c)
{
	int64_t from = c->ev->firing_since ? c->ev->firing_since :
		       c->ev->started;
	char when[64], end[64];
	struct buf dur = BUF_INIT, ago = BUF_INIT;
	struct var v[] = { { "time", when }, { "end", end }, { "dur", NULL },
			   { "ago", NULL } };
	int resolved = c->ev->notify == ALERT_NOTIFY_RESOLVED ||
		       c->ev->kind == ALERT_EV_RESOLVED;
	int64_t upto = resolved ? c->ev->t : c->now;

	fmt_time(when, sizeof(when), from);
	fmt_time(end, sizeof(end), c->ev->t);
	if (c->rc == 0)
		c->rc = fmt_duration(&dur, c->lang, (upto - from) / 1000);
	v[2].value = buf_cstr(&dur);
	if (c->rc == 0)
		c->rc = expand(&ago, T(c, M_AGO), v, NV(v));
	v[3].value = buf_cstr(&ago);
	cexpand(c, resolved ? M_DURATION : M_SINCE, v, NV(v));
	cadd(c, "\n");
	buf_release(&dur);
	buf_release(&ago);
}

static const char *crit_name(const struct comp *c, enum plan_criticality k)
{
	switch (k) {
	case PLAN_CRIT_LOW: return T(c, M_CRIT_LOW);
	case PLAN_CRIT_MEDIUM: return T(c, M_CRIT_MEDIUM);
	case PLAN_CRIT_HIGH: return T(c, M_CRIT_HIGH);
	case PLAN_CRIT_CRITICAL: return T(c, M_CRIT_CRITICAL);
	case PLAN_CRIT_UNSET: break;
	}
	return "?";
}

static int service_touched(const struct comp *c, const struct plan_service *s)
{
	size_t i;

	if (!c->f)
		return 0;
	if (c->f->service && strcmp(c->f->service, s->name) == 0)
		return 1;
	for (i = 0; c->f->host && i < s->nhosts; i++)
		if (strcmp(s->hosts[i]->name, c->f->host) == 0)
			return 1;
	return 0;
}

static void service_item(struct comp *c, struct buf *list,
			 const struct plan_service *s)
{
	char rto[DURATION_FMT_MAX];
	struct var v[] = { { "name", s->name },
			   { "crit", crit_name(c, s->criticality) },
			   { "rto", duration_format(s->rto, rto,
						    sizeof(rto)) } };

	if (c->rc == 0 && list->len)
		c->rc = buf_adds(list, ", ");
	if (c->rc == 0)
		c->rc = expand(list, T(c, M_SERVICE_ITEM), v, NV(v));
}

/* services_line: 1 when a service of the plan is concerned. */
static int services_line(struct comp *c)
{
	struct buf list = BUF_INIT;
	struct var v[] = { { "list", NULL }, { "host", NULL } };
	size_t i;
	int n = 0;

	/* the most critical first: criticality is ordered */
	for (int k = PLAN_CRIT_CRITICAL; c->plan && k >= PLAN_CRIT_UNSET; k--)
		for (i = 0; i < c->plan->nservices; i++) {
			const struct plan_service *s = &c->plan->services[i];

			if ((int)s->criticality == k &&
			    service_touched(c, s)) {
				service_item(c, &list, s);
				n++;
			}
		}
	v[0].value = buf_cstr(&list);
	v[1].value = host_of(c);
	if (n)
		cexpand(c, M_SERVICES, v, NV(v));
	else if (c->plan && c->f && c->f->host)
		cexpand(c, M_NO_SERVICE, v, NV(v));
	if (n || (c->plan && c->f && c->f->host))
		cadd(c, "\n");
	buf_release(&list);
	return n > 0;
}

static void meaning_line(struct comp *c)
{
	static const enum msg m[] = {
		[NOTIFY_KIND_GENERIC] = M_COUNT,
		[NOTIFY_KIND_TEMPERATURE] = M_MEAN_TEMPERATURE,
		[NOTIFY_KIND_COOLING] = M_MEAN_COOLING,
		[NOTIFY_KIND_DISK_SPACE] = M_MEAN_DISK_SPACE,
		[NOTIFY_KIND_DISK_HEALTH] = M_MEAN_DISK_HEALTH,
		[NOTIFY_KIND_PROBE] = M_MEAN_PROBE,
		[NOTIFY_KIND_CERT] = M_MEAN_CERT,
		[NOTIFY_KIND_BACKUP] = M_MEAN_BACKUP,
		[NOTIFY_KIND_PING] = M_MEAN_PING,
		[NOTIFY_KIND_HOST_DOWN] = M_MEAN_HOST_DOWN,
	};
	unsigned k = kind_of(c);

	if (k < NV(m) && m[k] != M_COUNT) {
		cadd(c, T(c, m[k]));
		cadd(c, "\n");
	}
}

static const struct plan_provider *provider_of(const struct comp *c)
{
	const struct plan_host *h;
	const struct plan_service *s;

	if (!c->plan || !c->f)
		return NULL;
	if (c->f->host && (h = plan_find_host(c->plan, c->f->host)) &&
	    h->provider)
		return h->provider;
	if (c->f->service && (s = plan_find_service(c->plan, c->f->service)))
		return s->provider;
	return NULL;
}

static void provider_item(struct comp *c, const struct plan_provider *p)
{
	struct buf contact = BUF_INIT, contract = BUF_INIT;
	char rt[DURATION_FMT_MAX];
	struct var v[] = {
		{ "provider", p->full_name ? p->full_name : p->name },
		{ "contact", NULL }, { "contract", NULL },
		{ "ref", p->contract.reference }, { "rt", NULL },
	};

	if (p->phone || p->email)
		c->rc = c->rc ? c->rc :
			buf_addf(&contact, " (%s%s%s)",
				 p->phone ? p->phone : "",
				 p->phone && p->email ? ", " : "",
				 p->email ? p->email : "");
	if (p->contract.present && p->contract.reference && c->rc == 0)
		c->rc = expand(&contract, T(c, M_CONTRACT), v, NV(v));
	v[4].value = duration_format(p->contract.restore_time, rt, sizeof(rt));
	if (p->contract.present && c->rc == 0)
		c->rc = expand(&contract,
			       T(c, p->contract.restore_time > 0 ?
				    M_RESTORE_TIME : M_NO_RESTORE_TIME),
			       v, NV(v));
	v[1].value = buf_cstr(&contact);
	v[2].value = buf_cstr(&contract);
	cadd(c, " - ");
	cexpand(c, M_DO_PROVIDER, v, NV(v));
	cadd(c, "\n");
	buf_release(&contact);
	buf_release(&contract);
}

static void todo(struct comp *c)
{
	static const enum msg m[] = {
		[NOTIFY_KIND_GENERIC] = M_DO_GENERIC,
		[NOTIFY_KIND_TEMPERATURE] = M_DO_TEMPERATURE,
		[NOTIFY_KIND_COOLING] = M_DO_COOLING,
		[NOTIFY_KIND_DISK_SPACE] = M_DO_DISK_SPACE,
		[NOTIFY_KIND_DISK_HEALTH] = M_DO_DISK_HEALTH,
		[NOTIFY_KIND_PROBE] = M_DO_PROBE,
		[NOTIFY_KIND_CERT] = M_DO_CERT,
		[NOTIFY_KIND_BACKUP] = M_DO_BACKUP,
		[NOTIFY_KIND_PING] = M_DO_PING,
		[NOTIFY_KIND_HOST_DOWN] = M_DO_HOST_DOWN,
	};
	const struct plan_provider *p = provider_of(c);
	unsigned k = kind_of(c);
	char id[24];
	struct var v[] = { { "id", id }, { "subject", c->ev->subject } };

	snprintf(id, sizeof(id), "%lld", (long long)c->ev->id);
	cadd(c, T(c, M_TODO));
	cadd(c, "\n - ");
	cexpand(c, m[k < NV(m) ? k : 0], v, NV(v));
	cadd(c, "\n");
	if (p)
		provider_item(c, p);
	cadd(c, " - ");
	cexpand(c, M_DO_ACK, v, NV(v));
	cadd(c, "\n");
}

static void intro(struct comp *c)
{
	char step[16];
	struct var v[] = { { "step", step } };

	snprintf(step, sizeof(step), "%d", c->ev->level + 1);
	if (c->ev->notify == ALERT_NOTIFY_REPEAT)
		cexpand(c, M_REPEAT_INTRO, v, NV(v));
	else if (c->ev->notify == ALERT_NOTIFY_ESCALATE)
		cexpand(c, M_ESCALATE_INTRO, v, NV(v));
	else if (c->ev->notify == ALERT_NOTIFY_RESOLVED ||
		 c->ev->kind == ALERT_EV_RESOLVED)
		cexpand(c, M_RESOLVED_INTRO, v, NV(v));
	else
		return;
	cadd(c, "\n\n");
}

static void footer(struct comp *c)
{
	char id[24];
	struct var v[] = { { "id", id }, { "rule", c->ev->rule },
			   { "subject", c->ev->subject },
			   { "sev", NULL } };
	static const enum msg sev[] = { M_SEVL_INFO, M_SEVL_WARNING,
					M_SEVL_CRITICAL };

	snprintf(id, sizeof(id), "%lld", (long long)c->ev->id);
	v[3].value = T(c, sev[(unsigned)c->ev->severity < 3 ?
			       c->ev->severity : 2]);
	cadd(c, "\n");
	cexpand(c, M_FOOTER, v, NV(v));
	cadd(c, "\n-- \nreprise\n");
}

int notify_compose(enum notify_lang lang, const struct plan *plan,
		   const struct alert_event *ev,
		   const struct notify_facts *facts, int64_t now_ms,
		   struct buf *subject, struct buf *body)
{
	struct comp c = { lang, plan, ev, facts, now_ms, subject, 0 };
	int resolved = ev->notify == ALERT_NOTIFY_RESOLVED ||
		       ev->kind == ALERT_EV_RESOLVED;

	subject_line(&c);
	c.out = body;
	intro(&c);
	first_sentence(&c);
	since_line(&c);
	services_line(&c);
	if (!resolved)
		meaning_line(&c);
	cadd(&c, "\n");
	if (resolved) {
		cadd(&c, T(&c, M_TODO_RESOLVED));
		cadd(&c, "\n - ");
		cadd(&c, T(&c, M_DO_RESOLVED));
		cadd(&c, "\n");
	} else {
		todo(&c);
	}
	footer(&c);
	return c.rc;
}
