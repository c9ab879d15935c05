package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// policiesPayload builds n protection policies from the spec's example,
// trimmed to the members a typical policy carries, so that 100 of them make
// about 57 KB of JSON: the canned answer of BenchmarkList/product=ibmbr.
func policiesPayload(tb testing.TB, n int) []byte {
	tb.Helper()
	doc, err := ibmDoc()
	if err != nil {
		tb.Fatal(err)
	}
	ex, err := json.Marshal(doc.Components.Schemas["ProtectionPolicyResponse"].Value.Example)
	if err != nil {
		tb.Fatal(err)
	}
	var full map[string]any
	if err := json.Unmarshal(ex, &full); err != nil {
		tb.Fatal(err)
	}
	keep := map[string]bool{"id": true, "name": true, "description": true, "backupPolicy": true, "retryOptions": true,
		"version": true, "isCBSEnabled": true, "isUsable": true, "isReplicated": true,
		"numProtectionGroups": true, "numProtectedObjects": true, "lastModificationTimeUsecs": true, "templateId": true}
	var policies []map[string]any
	for i := range n {
		p := map[string]any{}
		for k, v := range full {
			if keep[k] {
				p[k] = v
			}
		}
		if bp, ok := p["backupPolicy"].(map[string]any); ok {
			if reg, ok := bp["regular"].(map[string]any); ok {
				p["backupPolicy"] = map[string]any{"regular": map[string]any{"incremental": reg["incremental"], "retention": reg["retention"]}}
			}
		}
		p["id"] = fmt.Sprintf("5387862916419328:1699999999999:%d", i)
		p["name"] = fmt.Sprintf("policy-%03d", i)
		policies = append(policies, p)
	}
	body, err := json.Marshal(map[string]any{"policies": policies})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

func TestIBMBenchPayloadSize(t *testing.T) {
	body := policiesPayload(t, 100)
	kb := len(body) / 1024
	if kb < 45 || kb > 70 || !strings.HasPrefix(string(body), `{"policies":[`) {
		t.Fatalf("payload of %d KB, want about 57 KB of policies", kb)
	}
}
