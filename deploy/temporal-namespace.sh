#!/bin/sh
# Creates the `default` namespace and Sinergi's search attributes once the Temporal server answers.
set -eu
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe --namespace default --address "$ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace default --retention 3650d --address "$ADDRESS"
# A new namespace takes a few seconds to reach every service's cache: retry until each attribute is listed.
for sa in SinergiStage:Keyword SinergiInstrument:Keyword SinergiParties:KeywordList; do
  until temporal operator search-attribute list --namespace default --address "$ADDRESS" | grep -q "${sa%%:*}"; do
    temporal operator search-attribute create --namespace default --address "$ADDRESS" --name "${sa%%:*}" --type "${sa##*:}" || sleep 2
  done
done
echo "namespace default and search attributes ready"
