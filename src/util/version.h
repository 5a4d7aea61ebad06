/* version: the one place the version string lives. */
#ifndef RP_VERSION_H
#define RP_VERSION_H
#define REPRISE_VERSION "0.1.0"
#endif
