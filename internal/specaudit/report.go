package specaudit

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for a reader: a summary, then each group of
// operations. spec and vendor name the two documents.
func (r *Report) WriteText(w io.Writer, spec, vendor string) error {
	var b strings.Builder
	title := strings.TrimSpace(r.Title + " " + r.Version)
	if title != "" {
		title = " (" + title + ")"
	}
	fmt.Fprintf(&b, "%s against %s%s\n\n", spec, vendor, title)

	confirmed, confirmedInf := r.Count(Confirmed)
	differs, differsInf := r.Count(Differs)
	missing, missingInf := r.Count(Missing)
	fmt.Fprintf(&b, "%d operations in the spec (%d inferred); %d in the vendor document that the spec lacks\n",
		len(r.Operations), confirmedInf+differsInf+missingInf, len(r.VendorOnly))
	fmt.Fprintf(&b, "  %4d the same in both (%d of them inferred: -apply marks those)\n", confirmed, confirmedInf)
	fmt.Fprintf(&b, "  %4d in both, with differences (%d inferred): fix the spec, then audit again\n", differs, differsInf)
	fmt.Fprintf(&b, "  %4d not in the vendor document (%d inferred)\n", missing, missingInf)

	r.section(&b, "Inferred operations the vendor document confirms", func(op Operation) bool { return op.Status == Confirmed && op.Inferred })
	r.section(&b, "Operations that differ", func(op Operation) bool { return op.Status == Differs })
	r.section(&b, "Operations the vendor document does not have", func(op Operation) bool { return op.Status == Missing })
	if len(r.VendorOnly) > 0 {
		fmt.Fprintf(&b, "\nOperations of the vendor document the spec lacks (%d):\n", len(r.VendorOnly))
		for _, v := range r.VendorOnly {
			fmt.Fprintf(&b, "  %-6s %s%s\n", v.Method, v.Path, suffix(v.OperationID, v.Summary))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) section(b *strings.Builder, heading string, keep func(Operation) bool) {
	var n int
	for _, op := range r.Operations {
		if keep(op) {
			n++
		}
	}
	if n == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d):\n", heading, n)
	for _, op := range r.Operations {
		if !keep(op) {
			continue
		}
		mark := ""
		if op.Inferred && op.Status != Confirmed {
			mark = " [inferred]"
		}
		fmt.Fprintf(b, "  %-6s %s%s%s\n", op.Method, op.Path, suffix(op.OperationID, ""), mark)
		for _, d := range op.Details {
			fmt.Fprintf(b, "         - %s\n", d)
		}
	}
}

func suffix(id, summary string) string {
	var parts []string
	for _, s := range []string{id, summary} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ": ") + ")"
}
