package specaudit

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// sourceKind is what a source kind looks like: reference-1.4, appliance-1.4-rev0.
var sourceKind = regexp.MustCompile(`^[a-z][a-z0-9]*(-[A-Za-z0-9._]+)*$`)

// Apply marks in the spec (its YAML text, data) every inferred operation the
// report confirmed: it drops the operation's x-backupsdk-inferred and
// x-backupsdk-inferred-note and sets its x-backupsdk-source to source. It
// edits those lines only, so the rest of the file keeps its layout and
// comments. It returns the new text and the operations it marked.
//
// Operations that differ from the vendor's document are left as they are:
// fix them by hand from the report, then audit again.
func Apply(data []byte, r *Report, source string) ([]byte, []Operation, error) {
	if !sourceKind.MatchString(source) {
		return nil, nil, fmt.Errorf("source kind %q: want lower-case words joined by '-', such as appliance-1.4", source)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("read the spec: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, errors.New("read the spec: it is empty")
	}
	paths := mapValue(doc.Content[0], "paths")
	lines := strings.Split(string(data), "\n")

	var edits []edit
	var marked []Operation
	for _, op := range r.Operations {
		if op.Status != Confirmed || !op.Inferred {
			continue
		}
		node := mapValue(mapValue(paths, op.specPath), strings.ToLower(op.Method))
		if node == nil || node.Kind != yaml.MappingNode {
			return nil, nil, fmt.Errorf("%s %s: not found in the spec's text", op.Method, op.Path)
		}
		e, err := markEdits(node, lines, source)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", op.Method, op.Path, err)
		}
		edits = append(edits, e...)
		marked = append(marked, op)
	}
	out := []byte(applyEdits(lines, edits))
	if err := checkMarked(out, r, marked, source); err != nil {
		return nil, nil, err
	}
	return out, marked, nil
}

// edit replaces the lines first..last (1-based, inclusive) with text.
type edit struct {
	first, last int
	text        []string
}

// markEdits returns the edits that turn the operation node's inferred marks
// into the source kind.
func markEdits(node *yaml.Node, lines []string, source string) ([]edit, error) {
	inferred, ok := pairExtent(node, "x-backupsdk-inferred", lines)
	if !ok {
		return nil, errors.New("has no x-backupsdk-inferred in the spec's text")
	}
	line := strings.Repeat(" ", inferred.indent) + "x-backupsdk-source: " + source
	edits := []edit{}
	if src, ok := pairExtent(node, "x-backupsdk-source", lines); ok {
		edits = append(edits, edit{src.first, src.last, []string{line}}, edit{inferred.first, inferred.last, nil})
	} else {
		edits = append(edits, edit{inferred.first, inferred.last, []string{line}})
	}
	if note, ok := pairExtent(node, "x-backupsdk-inferred-note", lines); ok {
		edits = append(edits, edit{note.first, note.last, nil})
	}
	return edits, nil
}

type extent struct{ first, last, indent int }

// pairExtent finds the lines that a key of a block mapping and its value
// take: the key's line and every following line indented deeper than the
// key (or blank), trailing blank lines excluded.
func pairExtent(mapping *yaml.Node, key string, lines []string) (extent, bool) {
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		k := mapping.Content[i]
		if k.Value != key {
			continue
		}
		e := extent{first: k.Line, last: k.Line, indent: k.Column - 1}
		for n := k.Line + 1; n <= len(lines); n++ {
			l := lines[n-1]
			if strings.TrimSpace(l) != "" && len(l)-len(strings.TrimLeft(l, " ")) <= e.indent {
				break
			}
			e.last = n
		}
		for e.last > e.first && strings.TrimSpace(lines[e.last-1]) == "" {
			e.last--
		}
		return e, true
	}
	return extent{}, false
}

func applyEdits(lines []string, edits []edit) string {
	slices.SortFunc(edits, func(a, b edit) int { return b.first - a.first })
	for _, e := range edits {
		lines = slices.Replace(lines, e.first-1, e.last, e.text...)
	}
	return strings.Join(lines, "\n")
}

// mapValue returns the value of key in a mapping node (nil if absent).
func mapValue(node *yaml.Node, key string) *yaml.Node {
	if node == nil || node.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i+1]
		}
	}
	return nil
}

// checkMarked loads the edited spec and checks that each marked operation
// now names the source kind and that every other inferred operation still is,
// so a layout the line edits did not expect fails here, not in the file.
func checkMarked(data []byte, r *Report, marked []Operation, source string) error {
	doc, err := LoadSpec(data)
	if err != nil {
		return fmt.Errorf("the edited spec does not load (left unwritten): %w", err)
	}
	was := map[string]bool{}
	for _, op := range r.Operations {
		was[op.Method+" "+op.Path] = op.Inferred
	}
	done := map[string]bool{}
	for _, op := range marked {
		done[op.Method+" "+op.Path] = true
	}
	for _, o := range operations(doc) {
		inferred, _ := o.op.Extensions["x-backupsdk-inferred"].(bool)
		_, note := o.op.Extensions["x-backupsdk-inferred-note"]
		src, _ := o.op.Extensions["x-backupsdk-source"].(string)
		id := o.method + " " + o.path
		ok := inferred == was[id]
		if done[id] {
			ok = !inferred && !note && src == source
		}
		if !ok {
			return fmt.Errorf("%s: the edit went wrong (spec left unwritten)", id)
		}
	}
	return nil
}
