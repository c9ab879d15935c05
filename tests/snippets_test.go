package tests

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Go snippet of the README and the guides is the body of a function
// that compiles and runs: an Example with its Output, a function such an
// Example calls, a program under examples/, or code of the SDK itself (a
// fake's handler). A snippet says which with a comment on the line before
// it:
//
//	<!-- snippet: pkg/vbaws/example_test.go Example_quickstart -->
//
// and this test fails when the text differs from that function's body, or
// when a Go snippet names none. A method is named Type.Method when its name
// alone is ambiguous in the file. Code that is not Go a reader would run
// (YAML, shell, signatures, error text) goes in a ```yaml, ```sh or ```text
// block instead.
var snippetMark = regexp.MustCompile(`^<!-- snippet: (\S+) (\S+) -->$`)

func TestDocSnippetsAreRunnableCode(t *testing.T) {
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "../README.md")
	checked := 0
	for _, doc := range docs {
		snippets, problems := goSnippets(t, doc)
		for _, p := range problems {
			t.Error(p)
		}
		for _, s := range snippets {
			name := filepath.Base(doc) + ":" + fmt.Sprint(s.line)
			if s.file == "" {
				t.Errorf("%s: a ```go block without a <!-- snippet: <file> <Func> --> line right before it naming the function whose body it shows", name)
				continue
			}
			body, err := funcBody(filepath.Join("..", s.file), s.fn)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if d := firstDifference(body, s.text); d != "" {
				t.Errorf("%s: the snippet differs from the body of %s in %s (%s); copy the function body, dedented one tab:\n%s", name, s.fn, s.file, d, body)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no snippet checked: the docs were not found")
	}
}

type snippet struct {
	file, fn string
	line     int
	text     string
}

// goSnippets returns the Go blocks of a Markdown file with the function each
// names, and the mistakes of its markers and fences.
func goSnippets(t *testing.T, doc string) ([]snippet, []string) {
	t.Helper()
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(doc)
	var out []snippet
	var problems []string
	var prev string // the previous non-blank line outside a block
	pendingMark := 0
	var cur *snippet
	var text strings.Builder
	fence := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if fence != "" { // inside a block
			if trimmed == fence {
				if cur != nil {
					cur.text = text.String()
					out = append(out, *cur)
					cur = nil
				}
				fence = ""
				prev = trimmed
				continue
			}
			if cur != nil {
				text.WriteString(line + "\n")
			}
			continue
		}
		if trimmed == "" {
			continue
		}
		if pendingMark != 0 && !strings.HasPrefix(trimmed, "```") {
			problems = append(problems, fmt.Sprintf("%s:%d: a snippet marker that no ```go block follows", base, pendingMark))
		}
		if strings.HasPrefix(trimmed, "```") {
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
			info := strings.Fields(strings.TrimPrefix(trimmed, fence))
			isGo := len(info) > 0 && (strings.EqualFold(info[0], "go") || strings.EqualFold(info[0], "golang"))
			switch {
			case isGo:
				cur = &snippet{line: n}
				if m := snippetMark.FindStringSubmatch(prev); m != nil {
					cur.file, cur.fn = m[1], m[2]
				}
				text.Reset()
			case pendingMark != 0:
				problems = append(problems, fmt.Sprintf("%s:%d: a snippet marker before a block that is not ```go", base, pendingMark))
			}
			pendingMark = 0
			continue
		}
		pendingMark = 0
		if strings.HasPrefix(trimmed, "<!-- snippet") {
			if !snippetMark.MatchString(trimmed) {
				problems = append(problems, fmt.Sprintf("%s:%d: a malformed snippet marker; write <!-- snippet: <file> <Func> -->", base, n))
			}
			pendingMark = n
		}
		prev = trimmed
	}
	if fence != "" {
		problems = append(problems, fmt.Sprintf("%s: a code block that is never closed", base))
	}
	if pendingMark != 0 {
		problems = append(problems, fmt.Sprintf("%s:%d: a snippet marker that no ```go block follows", base, pendingMark))
	}
	return out, problems
}

// funcBody returns the statements of a function (fn, or Type.Method),
// dedented one tab, without an Example's output comment. An Example must
// have one, so that go test runs it rather than only compiling it.
func funcBody(file, fn string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	recv, name, isMethod := strings.Cut(fn, ".")
	if !isMethod {
		recv, name = "", fn
	}
	var found []*ast.FuncDecl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if ok && fd.Name.Name == name && fd.Body != nil && (recv == "" || receiverType(fd) == recv) {
			found = append(found, fd)
		}
	}
	switch {
	case len(found) == 0:
		return "", fmt.Errorf("%s has no function %s", file, fn)
	case len(found) > 1:
		return "", fmt.Errorf("%s has %d functions named %s: name the method as Type.Method", file, len(found), fn)
	}
	fd := found[0]
	body := string(src[fset.Position(fd.Body.Lbrace).Offset+1 : fset.Position(fd.Body.Rbrace).Offset])
	cut := -1
	for _, marker := range []string{"// Output:", "// Unordered output:"} {
		if i := strings.Index(body, marker); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		body = body[:cut]
	} else if strings.HasPrefix(name, "Example") && recv == "" {
		return "", fmt.Errorf("%s in %s has no // Output: comment, so go test compiles it but never runs it", fn, file)
	}
	var lines []string
	for l := range strings.SplitSeq(strings.Trim(body, "\n"), "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	return strings.TrimRight(strings.Join(lines, "\n"), " \t\n"), nil
}

// receiverType is the name of a method's receiver type, "" for a function.
func receiverType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	typ := fd.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// firstDifference says where two texts first differ, ignoring blank lines
// at either end; "" when they are equal.
func firstDifference(want, got string) string {
	w, g := trimmedLines(want), trimmedLines(got)
	for i := range max(len(w), len(g)) {
		switch {
		case i >= len(w):
			return fmt.Sprintf("line %d of the snippet, %q, is not in the function", i+1, g[i])
		case i >= len(g):
			return fmt.Sprintf("the snippet ends before line %d of the function, %q", i+1, w[i])
		case w[i] != g[i]:
			return fmt.Sprintf("line %d is %q in the snippet, %q in the function", i+1, g[i], w[i])
		}
	}
	return ""
}

// trimmedLines splits s into lines without the blank lines at either end.
func trimmedLines(s string) []string {
	lines := strings.Split(s, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
