package main

import "testing"

func TestWordsSpellsGoNamesForMessages(t *testing.T) {
	for name, want := range map[string]string{
		"projectID":        "project ID",
		"serviceAccountID": "service account ID",
		"instanceName":     "instance name",
		"folderID":         "folder ID",
		"id":               "id",
		"objectIDs":        "object IDs",
		"vmID":             "vm ID",
		"httpServerURL":    "http server URL",
		"status":           "status",
	} {
		if got := words(name); got != want {
			t.Errorf("words(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestEscapePercentKeepsFormatsLiteral(t *testing.T) {
	if got := escapePercent("50% of ^[0-9]+$"); got != "50%% of ^[0-9]+$" {
		t.Errorf("escapePercent = %q", got)
	}
}
