#!/bin/sh
# Writes an index document of N blobs (default 40000) whose IDs share their
# first 8 bytes: index.c's slot_of() uses those bytes as the hash, so every
# insert probes past all earlier ones: 40000 blobs take ~4 s, 80000 ~18 s
# (80000 random IDs: 0.5 s).
#   sh fuzz/repro/index-hash-flood.sh 40000 >flood.json
#   build/fuzz/replay_index flood.json     (the harness adds its own O(n^2))
n=${1:-40000}
awk -v n="$n" 'BEGIN {
	printf "{\"packs\":[{\"id\":\"%064d\",\"blobs\":[", 1
	for (i = 0; i < n; i++) {
		printf "%s{\"id\":\"0000000000000000%048x\",", \
			(i ? "," : ""), i
		printf "\"type\":\"data\",\"offset\":%d,\"length\":40}", \
			i * 40
	}
	printf "]}]}\n"
}'
