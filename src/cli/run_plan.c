/*
 * The plan that `reprise run` writes on first use, under the state
 * directory, when no --plan is given: a small firm with one service, one
 * machine (this one), a repository on its disk and a second copy, a
 * monthly drill and a call tree.  It is a real plan: the findings that
 * `reprise run` prints come from it, and the user edits it to describe
 * the company.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fsx.h"

static const char demo_plan[] =
"# Plan de continuité (PRA) : exemple créé par `reprise run`.\n"
"# Décrivez ici votre entreprise ; `reprise plan validate --plan %s/plan.yaml`\n"
"# vérifie le fichier, `reprise check --plan ...` le confronte aux mesures.\n"
"version: 1\n"
"language: %s\n"
"company:\n"
"  name: Exemple SARL\n"
"  staff: 40\n"
"review: { last: %s, signed_by: direction, every: 365d }\n"
"exercise: { last: %s, every: 365d }\n"
"people:\n"
"  - { id: direction, name: Directrice, roles: [director],\n"
"      email: direction@example.org, phone: \"+33 6 00 00 00 01\" }\n"
"  - { id: referent, name: Référent informatique, roles: [it_referent],\n"
"      email: it@example.org, phone: \"+33 6 00 00 00 02\" }\n"
"  - { id: suppleant, name: Suppléant, roles: [it_deputy],\n"
"      email: it2@example.org, phone: \"+33 6 00 00 00 03\" }\n"
"hosts:\n"
"  - name: %s\n"
"    description: cette machine\n"
"    monitoring: { hwmon: yes, smart: yes, alert: [referent] }\n"
"services:\n"
"  - name: dossiers-clients\n"
"    description: Dossiers des clients\n"
"    criticality: high\n"
"    rpo: 4h\n"
"    rto: 8h\n"
"    mtpd: 3d\n"
"    personal_data: yes\n"
"    hosts: [%s]\n"
"    data_paths: [%s/sample]\n"
"repositories:\n"
"  - name: local\n"
"    url: %s/repo\n"
"    password_file: %s/repo.password\n"
"    medium: disk\n"
"  # In real life: a USB disk kept unplugged, or object storage elsewhere.\n"
"  - name: copie\n"
"    url: %s/repo-copie\n"
"    password_file: %s/repo.password\n"
"    medium: usb\n"
"    offline: yes\n"
"jobs:\n"
"  - name: dossiers\n"
"    host: %s\n"
"    services: [dossiers-clients]\n"
"    sources: [%s/sample]\n"
"    repositories: [local, copie]\n"
"    interval: 1h\n"
"    retention: { hourly: 24, daily: 30, monthly: 12 }\n"
"drills:\n"
"  - name: dossiers-mensuel\n"
"    job: dossiers\n"
"    repository: local\n"
"    every: 30d\n"
"    scope: whole\n"
"    compare_source: yes\n"
"call_tree:\n"
"  - { call: [referent, suppleant], escalate_after: 15m }\n"
"  - { call: [direction], escalate_after: 30m }\n"
"templates:\n"
"  - name: equipe\n"
"    audience: staff\n"
"    subject: \"Incident : {service} indisponible\"\n"
"    text: \"Depuis {since}, {service} est indisponible. Prochain point à {next_update}.\"\n"
"  - name: clients\n"
"    audience: clients\n"
"    subject: \"Incident en cours sur {service}\"\n"
"    text: \"Un incident rend {service} indisponible depuis {since}. Retour prévu vers {eta}.\"\n";

/* cli_demo_plan: writes STATE/plan.yaml unless it exists.  0 or an rp_err. */
int cli_demo_plan(const char *state, const char *path, const char *lang)
{
	struct buf b = BUF_INIT;
	char today[16], host[64] = "serveur";
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (access(path, F_OK) == 0)
		return 0;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	rc = buf_addf(&b, demo_plan, state, lang, today, today, host, host,
		      state, state, state, state, state, host, state);
	if (rc == 0)
		rc = fsx_write_atomic(path, b.p, b.len, 0644, 0);
	buf_release(&b);
	return rc;
}
